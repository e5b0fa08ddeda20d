import { authenticateClient, isPublicClient, type OAuthClient } from '../../../auth/clients.js';
import { oauthErrors, type OAuthFailure } from '../../../domain/sign-in/oauth-errors.js';

/**
 * The client at the token endpoint (RFC 6749 §2.3): a confidential client authenticates with HTTP
 * Basic or with client_id and client_secret form fields, not both; a public client names itself with
 * client_id and sends no secret (an empty Basic password is accepted, as some libraries send one).
 * With Basic, a client_id field is ignored, as it always was for client_credentials (a code is bound
 * to the client that authenticates, so it cannot be redeemed in another's name).
 * `find`: the client of an id, looked for in the store when this process does not know it yet.
 */
export async function tokenClient(
  find: (clientId: string) => Promise<OAuthClient | undefined>,
  authorization: string | undefined,
  field: (name: 'client_id' | 'client_secret') => string | undefined,
): Promise<OAuthClient | OAuthFailure> {
  const basic = parseBasic(authorization);
  if (basic === null) return oauthErrors.invalidClient('The Authorization header is not valid HTTP Basic.');
  if (basic && field('client_secret') !== undefined) return oauthErrors.invalidRequest('Use one client authentication method, not both.');
  const clientId = basic?.id ?? field('client_id');
  const secret = basic ? basic.secret || undefined : field('client_secret');
  if (!clientId) return oauthErrors.invalidClient('Client authentication is required.');
  const client = await find(clientId);
  if (!client) return oauthErrors.invalidClient('Unknown client or wrong secret.');
  if (isPublicClient(client)) {
    return secret === undefined ? client : oauthErrors.invalidClient('This client is public: it has no secret to send.');
  }
  if (secret === undefined) return oauthErrors.invalidClient('Client authentication is required.');
  return authenticateClient(client, secret) ?? oauthErrors.invalidClient('Unknown client or wrong secret.');
}

/** undefined: no Basic header; null: a malformed one. RFC 6749 §2.3.1 form-encodes id and secret. */
function parseBasic(header: string | undefined): { id: string; secret: string } | undefined | null {
  if (!header || !/^Basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}
