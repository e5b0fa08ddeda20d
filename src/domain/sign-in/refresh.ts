import type { Store } from '../store.js';
import { type Grant, nextRefreshToken } from './grant.js';
import { oauthErrors, type OAuthFailure } from './oauth-errors.js';
import { secretHash } from './opaque-secrets.js';
import { iso, type SignInSettings } from './settings.js';

export interface RefreshRequest {
  readonly refreshToken: string;
  readonly clientId: string;
  /** Space-separated; at most the sign-in's scopes. Absent: all of them. */
  readonly scope?: string;
}

/**
 * The refresh_token grant (RFC 6749 §6) with rotation: each refresh token is used once and answered
 * with the next one. A spent token presented again means two parties hold the sign-in's tokens (one
 * of them stole it): the whole sign-in is revoked, so whichever of the two is not the person must
 * sign in again to get anything (RFC 9700 §4.14.2). A client that refreshes from several places at
 * once must therefore take turns.
 */
export async function refresh(store: Store, input: RefreshRequest, settings: SignInSettings, nowMs: number): Promise<Grant | OAuthFailure> {
  const tokenHash = secretHash(input.refreshToken);
  const now = iso(nowMs);
  return store.write(async (tx) => {
    const token = await tx.signIn.findRefreshToken(tokenHash);
    if (!token) return oauthErrors.invalidGrant('The refresh token is not valid.');
    if (token.clientId !== input.clientId) return oauthErrors.invalidGrant('The refresh token was issued to another client.');
    const asked = input.scope === undefined ? [] : [...new Set(input.scope.split(' ').filter(Boolean))];
    const beyond = asked.filter((s) => !token.scopes.includes(s));
    if (beyond.length > 0) return oauthErrors.invalidScope(`Scope beyond what the sign-in granted: ${beyond.join(' ')}.`);
    if (!(await tx.signIn.markRefreshTokenUsed(tokenHash, now))) {
      await tx.signIn.revokeFamily(token.familyId);
      return oauthErrors.invalidGrant('The refresh token has already been used: the sign-in is revoked; sign in again.');
    }
    if (token.expiresAt <= now || token.sessionExpiresAt <= now) return oauthErrors.invalidGrant('The refresh token has expired; sign in again.');
    const account = await tx.accounts.find(token.subject);
    if (!account) return oauthErrors.invalidGrant('The account no longer exists.');
    // The next token keeps the sign-in's scopes even when this access token asks for fewer (RFC 6749 §6).
    const refreshToken = await nextRefreshToken(tx, token, settings, nowMs);
    return { account, clientId: token.clientId, scopes: asked.length > 0 ? asked : token.scopes, nonce: null, authTime: token.authTime, refreshToken };
  });
}
