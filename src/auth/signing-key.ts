import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from 'jose';
import { readOrCreateJson } from '../shared/json-file.js';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public half as published in the JWKS. */
  readonly publicJwk: JWK;
}

/** The built-in issuer's ES256 key: generated on first start, kept in DATA_DIR (mode 0600). */
export async function loadSigningKey(dataDir: string): Promise<SigningKey> {
  const stored = readOrCreateJson<JWK>(dataDir, 'issuer-key.json', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return privateKey.export({ format: 'jwk' }) as JWK;
  });
  const { d: _private, ...publicPart } = stored;
  const kid = await calculateJwkThumbprint(publicPart);
  const publicJwk: JWK = { ...publicPart, kid, alg: 'ES256', use: 'sig' };
  const privateKey = (await importJWK({ ...stored, alg: 'ES256' }, 'ES256')) as CryptoKey;
  return { kid, privateKey, publicJwk };
}
