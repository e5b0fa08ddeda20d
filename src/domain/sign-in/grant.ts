import type { Account } from '../accounts/model.js';
import type { Repositories } from '../store.js';
import type { StoredRefreshToken } from './model.js';
import { newSecret, secretHash } from './opaque-secrets.js';
import { iso, type SignInSettings } from './settings.js';

/** What the token endpoint issues tokens for: an account, through a client, with scopes. */
export interface Grant {
  readonly account: Account;
  readonly clientId: string;
  /** What the access token grants. */
  readonly scopes: readonly string[];
  /** The authorization request's nonce, for the ID token (codes only). */
  readonly nonce: string | null;
  /** When the person typed their password. */
  readonly authTime: string;
  /** The next refresh token of the sign-in (rotation: the one used, if any, is spent). */
  readonly refreshToken: string;
}

/**
 * Stores the next refresh token of a sign-in and returns it. Its lifetime is `refreshTokenTtlSeconds`
 * from now, never beyond the end of the sign-in; expired tokens are swept on the way.
 */
export async function nextRefreshToken(
  tx: Repositories,
  family: Pick<StoredRefreshToken, 'familyId' | 'clientId' | 'subject' | 'scopes' | 'authTime' | 'sessionExpiresAt'>,
  settings: SignInSettings,
  nowMs: number,
): Promise<string> {
  const token = newSecret();
  const expires = Math.min(nowMs + settings.refreshTokenTtlSeconds * 1000, Date.parse(family.sessionExpiresAt));
  await tx.signIn.insertRefreshToken(
    {
      tokenHash: secretHash(token),
      familyId: family.familyId,
      clientId: family.clientId,
      subject: family.subject,
      scopes: family.scopes,
      authTime: family.authTime,
      createdAt: iso(nowMs),
      expiresAt: iso(expires),
      sessionExpiresAt: family.sessionExpiresAt,
      usedAt: null,
    },
    iso(nowMs),
  );
  return token;
}
