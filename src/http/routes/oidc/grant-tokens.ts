import type { BuiltinIssuer } from '../../../auth/builtin-issuer.js';
import type { Grant } from '../../../domain/sign-in/grant.js';

/**
 * The token response of a person's grant (a code or a refresh): an access token for this service
 * (`sub` the account, with its address and names, whatever the scopes: the service needs them to
 * know the person), the next refresh token, and an ID token for the client when `openid` was asked
 * (its claims follow the scopes: `email` with `email`, names with `profile`; OpenID Connect Core §5.4).
 */
export async function grantTokens(issuer: BuiltinIssuer, grant: Grant) {
  const { account } = grant;
  const names = { name: account.displayName, givenName: account.givenName, surname: account.surname };
  const { token, expiresIn } = await issuer.issue({ subject: account.id, clientId: grant.clientId, scopes: grant.scopes, email: account.email, names });
  const idToken = grant.scopes.includes('openid')
    ? await issuer.issueIdToken({
        subject: account.id,
        clientId: grant.clientId,
        authTime: grant.authTime,
        nonce: grant.nonce,
        ...(grant.scopes.includes('email') ? { email: account.email } : {}),
        ...(grant.scopes.includes('profile') ? { names } : {}),
      })
    : undefined;
  return {
    access_token: token,
    token_type: 'Bearer' as const,
    expires_in: expiresIn,
    scope: grant.scopes.join(' '),
    refresh_token: grant.refreshToken,
    ...(idToken ? { id_token: idToken } : {}),
  };
}
