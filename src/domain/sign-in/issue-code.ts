import type { Account } from '../accounts/model.js';
import type { Store } from '../store.js';
import { type AuthorizationRequest, withQuery } from './authorization-request.js';
import { newSecret, secretHash } from './opaque-secrets.js';
import { iso, type SignInSettings } from './settings.js';

/** Used codes are kept this long past their expiry, so that a late second use still revokes the first's tokens. */
const KEPT_AFTER_EXPIRY_MS = 10 * 60 * 1000;

/**
 * A person signed in for `request`: a new authorization code, bound to the client, the redirect URI
 * and the PKCE challenge, valid for `codeTtlSeconds`, and where to send the browser with it (the
 * redirect URI with `code`, `state` and `iss`). Only the code's hash is stored.
 */
export async function issueCode(
  store: Store,
  request: AuthorizationRequest,
  account: Account,
  issuer: string,
  settings: SignInSettings,
  nowMs: number,
): Promise<{ location: string }> {
  const code = newSecret();
  await store.signIn.insertCode(
    {
      codeHash: secretHash(code),
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      subject: account.id,
      scopes: request.scopes,
      nonce: request.nonce ?? null,
      authTime: iso(nowMs),
      expiresAt: iso(nowMs + settings.codeTtlSeconds * 1000),
      usedAt: null,
    },
    iso(nowMs - KEPT_AFTER_EXPIRY_MS),
  );
  return { location: withQuery(request.redirectUri, { code, ...(request.state === undefined ? {} : { state: request.state }), iss: issuer }) };
}
