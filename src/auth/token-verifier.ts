import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { AuthConfig } from '../config.js';
import type { Caller } from '../domain/caller.js';
import { ApiError, errors } from '../domain/errors.js';
import type { BuiltinIssuer } from './builtin-issuer.js';

type KeySource = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

interface Cached {
  caller: Caller;
  /** When the token stops being acceptable (exp plus the allowed clock skew), in ms. */
  validUntil: number;
}

/** Why a token was refused: what the log says (never the token itself). */
export type RejectionReason =
  | 'malformed'
  | 'algorithm-not-allowed'
  | 'unknown-key'
  | 'bad-signature'
  | 'keys-unavailable'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'missing-claim'
  | 'invalid-subject'
  | 'unknown-client';

/**
 * 401 `InvalidToken` as the client sees it, with the reason for the log. `clientId` is only set when
 * the signature was verified (a forged token's claims are not worth logging as if they were true).
 */
export class TokenRejected extends ApiError {
  constructor(
    readonly reason: RejectionReason,
    readonly clientId?: string,
  ) {
    const base = errors.invalidToken();
    super(base.status, base.code, base.message);
  }
}

const ALGORITHMS = ['RS256', 'ES256'];
const CACHE_LIMIT = 10_000;

/**
 * Verifies bearer tokens: RS256/ES256 only (so never `none`, never HMAC keyed with a public key),
 * issuer, audience, exp and nbf with a small skew, `sub` a non-empty string. With the built-in
 * issuer the token's client must still be one of its clients (`isKnownClient`): a removed client's
 * tokens stop working at once. Signature checks cost far more than the rest of a request, so a token
 * that verified is remembered until it expires; the client check is repeated on every use.
 */
export class TokenVerifier {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly auth: AuthConfig,
    private readonly keys: KeySource,
    private readonly now: () => number = Date.now,
    private readonly isKnownClient?: (clientId: string) => boolean | Promise<boolean>,
  ) {}

  static forConfig(auth: AuthConfig, issuer: BuiltinIssuer | undefined): TokenVerifier {
    if (auth.mode === 'external') {
      // jose caches the provider's JWKS and fetches it again when a token names an unknown kid.
      return new TokenVerifier(auth, createRemoteJWKSet(new URL(auth.jwksUrl!), { cooldownDuration: auth.jwksCooldownSeconds * 1000 }));
    }
    if (!issuer) throw new Error('the built-in issuer is needed to verify its tokens');
    // A client this process does not know yet may have been added by another one: the registry looks.
    return new TokenVerifier(auth, createLocalJWKSet(issuer.jwks), Date.now, (id) => issuer.registry.has(id) || issuer.registry.lookup(id).then(Boolean));
  }

  async verify(token: string): Promise<Caller> {
    const now = this.now();
    const hit = this.cache.get(token);
    if (hit && hit.validUntil > now) return this.checkClient(hit.caller);
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
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) throw rejection(error);
      throw error;
    }
    // A signed token can still carry anything in `sub`: only a non-empty string names a user.
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new TokenRejected('invalid-subject', clientIdOf(payload));
    const caller = callerFrom(payload, payload.sub, (payload.exp! + this.auth.clockSkewSeconds) * 1000);
    await this.checkClient(caller);
    if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(token, { caller, validUntil: (payload.exp! + this.auth.clockSkewSeconds) * 1000 });
    return caller;
  }

  private async checkClient(caller: Caller): Promise<Caller> {
    if (this.isKnownClient && !(caller.clientId !== undefined && (await this.isKnownClient(caller.clientId)))) {
      throw new TokenRejected('unknown-client', caller.clientId);
    }
    return caller;
  }
}

/** jose's error, named as the log names it. */
function rejection(error: unknown): TokenRejected {
  if (error instanceof joseErrors.JWTExpired) return new TokenRejected('expired', clientIdOf(error.payload));
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const clientId = clientIdOf(error.payload);
    if (error.reason === 'missing') return new TokenRejected('missing-claim', clientId);
    if (error.claim === 'iss') return new TokenRejected('wrong-issuer', clientId);
    if (error.claim === 'aud') return new TokenRejected('wrong-audience', clientId);
    if (error.claim === 'nbf' || error.claim === 'iat') return new TokenRejected('not-yet-valid', clientId);
    return new TokenRejected('missing-claim', clientId);
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new TokenRejected('bad-signature');
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) return new TokenRejected('unknown-key');
  if (error instanceof joseErrors.JOSEAlgNotAllowed || error instanceof joseErrors.JOSENotSupported) return new TokenRejected('algorithm-not-allowed');
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || keysFetchFailed(error))
    return new TokenRejected('keys-unavailable');
  return new TokenRejected('malformed');
}

/**
 * The provider's JWKS could not be fetched or read: fetch's own TypeError (nothing listens, the host
 * is unknown) and jose's plain JOSEError for an answer that is not 200 or not JSON. Not the token's
 * fault, so not `malformed`.
 */
function keysFetchFailed(error: unknown): boolean {
  if (error instanceof TypeError) return error.message === 'fetch failed';
  return error instanceof joseErrors.JOSEError && error.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set/.test(error.message);
}

function clientIdOf(payload: JWTPayload | undefined): string | undefined {
  if (!payload) return undefined;
  return typeof payload.client_id === 'string' ? payload.client_id : typeof payload.azp === 'string' ? payload.azp : undefined;
}

function callerFrom(payload: JWTPayload, subject: string, expiresAtMs: number): Caller {
  const scopes = new Set<string>();
  if (typeof payload.scope === 'string') for (const s of payload.scope.split(' ')) if (s) scopes.add(s);
  const scp = payload.scp;
  if (Array.isArray(scp)) for (const s of scp) if (typeof s === 'string') scopes.add(s);
  if (typeof scp === 'string') for (const s of scp.split(' ')) if (s) scopes.add(s);
  const email = addressClaim(payload);
  return Object.freeze({ subject, clientId: clientIdOf(payload), scopes, expiresAtMs, ...(email ? { email } : {}), ...personNames(payload) });
}

/** The names a token's or userinfo's claims give (`name`, `given_name`, `family_name`), those that are usable (nameClaim). */
export function personNames(claims: Record<string, unknown>): { name?: string; givenName?: string; surname?: string } {
  const name = nameClaim(claims.name);
  const givenName = nameClaim(claims.given_name);
  const surname = nameClaim(claims.family_name);
  return { ...(name ? { name } : {}), ...(givenName ? { givenName } : {}), ...(surname ? { surname } : {}) };
}

/**
 * The `email` claim as the service keeps it: at most 254 characters with an @, and not one the provider
 * says is unverified (`email_verified: false`): an address someone merely typed must not accept the
 * invitations sent to it. Anything else is no address.
 */
export function addressClaim(claims: Record<string, unknown>): string | undefined {
  const email = claims.email;
  if (typeof email !== 'string' || email.length > 254 || !email.includes('@')) return undefined;
  return claims.email_verified === false ? undefined : email;
}

/** A name claim as the service keeps it: a string of at most 255 characters on one line, trimmed; anything else is no name. */
function nameClaim(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  return name !== '' && name.length <= 255 && !/[\u0000-\u001f\u007f-\u009f]/.test(name) ? name : undefined;
}
