import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import type { AuthConfig } from '../config.js';
import { ClientRegistry } from './client-registry.js';
import type { OAuthClient } from './clients.js';
import { loadSigningKey, type SigningKey } from './signing-key.js';

export interface TokenRequest {
  subject: string;
  clientId: string;
  scopes: readonly string[];
  ttlSeconds?: number;
}

/** twinsync's own token issuer, on by default: signs ES256 tokens the verifier accepts. */
export class BuiltinIssuer {
  private constructor(
    private readonly auth: AuthConfig,
    private readonly key: SigningKey,
    /** Its OAuth clients, following DATA_DIR/clients.json once watched (see ClientRegistry). */
    readonly registry: ClientRegistry,
  ) {}

  static async load(dataDir: string, auth: AuthConfig): Promise<BuiltinIssuer> {
    return new BuiltinIssuer(auth, await loadSigningKey(dataDir), ClientRegistry.load(dataDir));
  }

  /** The clients as they are now. */
  get clients(): readonly OAuthClient[] {
    return this.registry.list();
  }

  get issuer(): string {
    return this.auth.issuer;
  }

  get jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }

  async issue(request: TokenRequest): Promise<{ token: string; expiresIn: number }> {
    const expiresIn = request.ttlSeconds ?? this.auth.tokenTtlSeconds;
    const jwt = new SignJWT({ client_id: request.clientId, scope: request.scopes.join(' ') })
      .setProtectedHeader({ alg: 'ES256', kid: this.key.kid, typ: 'JWT' })
      .setIssuer(this.auth.issuer)
      .setSubject(request.subject)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${expiresIn}s`)
      .setJti(randomUUID());
    if (this.auth.audience) jwt.setAudience(this.auth.audience);
    return { token: await jwt.sign(this.key.privateKey), expiresIn };
  }
}

const RECORD = 'issuer.json';

/**
 * The server writes the issuer it signs as (its public URL) into DATA_DIR, so that `npm run token`
 * needs only the same DATA_DIR to mint tokens the running server accepts, whatever PORT it uses.
 */
export function recordIssuer(dataDir: string, issuer: string): void {
  const file = path.join(dataDir, RECORD);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify({ issuer })}\n`);
  fs.renameSync(temporary, file);
}

export function recordedIssuer(dataDir: string): string | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(path.join(dataDir, RECORD), 'utf8')) as { issuer?: unknown };
    return typeof value.issuer === 'string' ? value.issuer : undefined;
  } catch {
    return undefined;
  }
}
