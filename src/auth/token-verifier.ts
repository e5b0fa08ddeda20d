import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthConfig } from '../config.js';
import type { Caller } from '../domain/caller.js';
import { errors } from '../domain/errors.js';
import type { BuiltinIssuer } from './builtin-issuer.js';

type KeySource = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

interface Cached {
  caller: Caller;
  /** When the token stops being acceptable (exp plus the allowed clock skew), in ms. */
  validUntil: number;
}

const ALGORITHMS = ['RS256', 'ES256'];
const CACHE_LIMIT = 10_000;

/**
 * Verifies bearer tokens: RS256/ES256 only (so never `none`, never HMAC keyed with a public key),
 * issuer, audience, exp and nbf with a small skew. Signature checks cost far more than the rest of a
 * request, so a token that verified is remembered until it expires; any other token is checked in full.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly auth: AuthConfig,
    private readonly keys: KeySource,
    private readonly now: () => number = Date.now,
  ) {}

  static forConfig(auth: AuthConfig, issuer: BuiltinIssuer | undefined): TokenVerifier {
    if (auth.mode === 'external') {
      // jose caches the provider's JWKS and fetches it again when a token names an unknown kid.
      return new TokenVerifier(auth, createRemoteJWKSet(new URL(auth.jwksUrl!), { cooldownDuration: auth.jwksCooldownSeconds * 1000 }));
    }
    if (!issuer) throw new Error('the built-in issuer is needed to verify its tokens');
    return new TokenVerifier(auth, createLocalJWKSet(issuer.jwks));
  }

  async verify(token: string): Promise<Caller> {
    const now = this.now();
    const hit = this.cache.get(token);
    if (hit && hit.validUntil > now) return hit.caller;
    if (hit) this.cache.delete(token);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ALGORITHMS,
        issuer: this.auth.issuer,
        audience: this.auth.audience,
        clockTolerance: this.auth.clockSkewSeconds,
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(now),
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) throw errors.invalidToken();
      throw error;
    }
    const caller = callerFrom(payload);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(token, { caller, validUntil: (payload.exp! + this.auth.clockSkewSeconds) * 1000 });
    return caller;
  }
}

function callerFrom(payload: JWTPayload): Caller {
  const scopes = new Set<string>();
  if (typeof payload.scope === 'string') for (const s of payload.scope.split(' ')) if (s) scopes.add(s);
  const scp = payload.scp;
  if (Array.isArray(scp)) for (const s of scp) if (typeof s === 'string') scopes.add(s);
  if (typeof scp === 'string') for (const s of scp.split(' ')) if (s) scopes.add(s);
  const clientId = typeof payload.client_id === 'string' ? payload.client_id : typeof payload.azp === 'string' ? payload.azp : undefined;
  return Object.freeze({ subject: payload.sub!, clientId, scopes });
}
