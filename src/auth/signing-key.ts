import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from 'jose';
import type { DeploymentRepository } from '../domain/deployment/repository.js';
import { SECRETS } from './deployment-secrets.js';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public half as published in the JWKS. */
  readonly publicJwk: JWK;
  /** Whether this call made it: the deployment's first start with the built-in issuer. */
  readonly created: boolean;
}

/**
 * The built-in issuer's ES256 key, shared by every process of the deployment through its store:
 * each process offers a new key, the first stored is the one all of them use.
 */
export async function loadSigningKey(repo: DeploymentRepository): Promise<SigningKey> {
  const existing = await repo.findSecret(SECRETS.issuerKey.name);
  const { value, inserted } =
    existing !== undefined ? { value: existing, inserted: false } : await repo.secretOrInsert(SECRETS.issuerKey.name, newKey(), new Date().toISOString());
  const stored = JSON.parse(value) as JWK;
  const { d: _private, ...publicPart } = stored;
  const kid = await calculateJwkThumbprint(publicPart);
  const publicJwk: JWK = { ...publicPart, kid, alg: 'ES256', use: 'sig' };
  const privateKey = (await importJWK({ ...stored, alg: 'ES256' }, 'ES256')) as CryptoKey;
  return { kid, privateKey, publicJwk, created: inserted };
}

function newKey(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return JSON.stringify(privateKey.export({ format: 'jwk' }));
}
