import type { Store } from '../store.js';
import { type Grant, nextRefreshToken } from './grant.js';
import { oauthErrors, type OAuthFailure } from './oauth-errors.js';
import { secretHash } from './opaque-secrets.js';
import { verifierMatches } from './pkce.js';
import { iso, type SignInSettings } from './settings.js';

export interface CodeRedemption {
  readonly code: string;
  /** The client that authenticated (or, public, named itself) at the token endpoint. */
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

/**
 * The authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.6). The code is spent by its first
 * redemption, right or wrong (a wrong verifier cannot be retried against it). A second redemption is
 * refused and revokes the refresh tokens the first one got (RFC 6749 §4.1.2: a code used twice may
 * have been stolen). Spending the code and storing the refresh token are one transaction, so a second
 * redemption racing the first always finds the first's token to revoke.
 */
export async function redeemCode(store: Store, input: CodeRedemption, settings: SignInSettings, nowMs: number): Promise<Grant | OAuthFailure> {
  const codeHash = secretHash(input.code);
  const now = iso(nowMs);
  return store.write(async (tx) => {
    const code = await tx.signIn.findCode(codeHash);
    if (!code) return oauthErrors.invalidGrant('The authorization code is not valid.');
    if (!(await tx.signIn.markCodeUsed(codeHash, now))) {
      await tx.signIn.revokeFamily(codeHash);
      return oauthErrors.invalidGrant('The authorization code has already been used; the tokens issued for it are revoked.');
    }
    if (code.expiresAt <= now) return oauthErrors.invalidGrant('The authorization code has expired.');
    if (code.clientId !== input.clientId) return oauthErrors.invalidGrant('The authorization code was issued to another client.');
    if (code.redirectUri !== input.redirectUri) return oauthErrors.invalidGrant('redirect_uri is not the one the authorization code was sent to.');
    if (!verifierMatches(input.codeVerifier, code.codeChallenge)) return oauthErrors.invalidGrant('code_verifier does not match the code_challenge.');
    const account = await tx.accounts.find(code.subject);
    if (!account) return oauthErrors.invalidGrant('The account that signed in no longer exists.');
    const refreshToken = await nextRefreshToken(
      tx,
      {
        familyId: codeHash,
        clientId: code.clientId,
        subject: code.subject,
        scopes: code.scopes,
        authTime: code.authTime,
        sessionExpiresAt: iso(Date.parse(code.authTime) + settings.sessionMaxSeconds * 1000),
      },
      settings,
      nowMs,
    );
    return { account, clientId: code.clientId, scopes: code.scopes, nonce: code.nonce, authTime: code.authTime, refreshToken };
  });
}
