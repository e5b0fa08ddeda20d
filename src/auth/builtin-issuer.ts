import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import type { AuthConfig } from '../config.js';
import type { DeploymentRepository } from '../domain/deployment/repository.js';
import { ClientRegistry } from './client-registry.js';
import { defaultClient, type OAuthClient } from './clients.js';
import { importLegacyFiles } from './deployment-secrets.js';
import { loadSigningKey, type SigningKey } from './signing-key.js';

export interface TokenRequest {
  subject: string;
  clientId: string;
  scopes: readonly string[];
  ttlSeconds?: number;
  /** The client's or the person's e-mail address, carried as the `email` claim. */
  email?: string;
  /** A person's names (`name`, `given_name`, `family_name`): the Users API shows them. */
  names?: PersonNames;
}

export interface PersonNames {
  name: string;
  givenName?: string | null;
  surname?: string | null;
}

/** An OpenID Connect ID token (Core §2): who signed in, for the client that asked. */
export interface IdTokenRequest {
  subject: string;
  /** Its audience. */
  clientId: string;
  /** When the person typed their password (ISO 8601). */
  authTime: string;
  nonce?: string | null;
  /** Only with the `email` scope. */
  email?: string;
  /** Only with the `profile` scope. */
  names?: PersonNames;
}

/** twinsync's own token issuer, on by default: signs ES256 tokens the verifier accepts. */
export class BuiltinIssuer {
  private constructor(
    private readonly auth: AuthConfig,
    private readonly key: SigningKey,
    /** Its OAuth clients, following the store once watched (see ClientRegistry). */
    readonly registry: ClientRegistry,
  ) {}

  /**
   * The issuer of the deployment whose store `repo` is: its key and clients are the store's, so
   * every process of the deployment signs with one key and knows the same clients. What an earlier
   * release kept in `dataDir` is imported first. The start that makes the key also adds the default
   * client, once per deployment.
   */
  static async load(repo: DeploymentRepository, dataDir: string, auth: AuthConfig, log?: Parameters<typeof importLegacyFiles>[2]): Promise<BuiltinIssuer> {
    await importLegacyFiles(repo, dataDir, log);
    const key = await loadSigningKey(repo);
    if (key.created) await repo.insertClient(defaultClient(), new Date().toISOString());
    return new BuiltinIssuer(auth, key, await ClientRegistry.load(repo));
  }

  /** The key it signs with (tests sign forged tokens with it). */
  get signingKey(): SigningKey {
    return this.key;
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
    const claims = {
      client_id: request.clientId,
      scope: request.scopes.join(' '),
      ...(request.email ? { email: request.email } : {}),
      ...nameClaims(request.names),
    };
    const jwt = new SignJWT(claims)
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

  /**
   * An ID token: audience the client (never this service's audience, so the API refuses it as an
   * access token), `auth_time`, the request's `nonce`, and the claims its scopes asked for. It
   * lives as long as an access token.
   */
  async issueIdToken(request: IdTokenRequest): Promise<string> {
    const claims = {
      auth_time: Math.floor(Date.parse(request.authTime) / 1000),
      ...(request.nonce ? { nonce: request.nonce } : {}),
      ...(request.email ? { email: request.email } : {}),
      ...nameClaims(request.names),
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: this.key.kid, typ: 'JWT' })
      .setIssuer(this.auth.issuer)
      .setSubject(request.subject)
      .setAudience(request.clientId)
      .setIssuedAt()
      .setExpirationTime(`${this.auth.tokenTtlSeconds}s`)
      .sign(this.key.privateKey);
  }
}

function nameClaims(names: PersonNames | undefined): Record<string, string> {
  if (!names) return {};
  return {
    name: names.name,
    ...(names.givenName ? { given_name: names.givenName } : {}),
    ...(names.surname ? { family_name: names.surname } : {}),
  };
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
