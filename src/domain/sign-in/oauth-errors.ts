/**
 * An OAuth 2.0 error (RFC 6749 §4.1.2.1 and §5.2, OpenID Connect Core §3.1.2.6): the code is one of
 * the specification's, so clients' libraries know it; the description is for the developer. OAuth's
 * endpoints answer in this shape, not in the platform's error envelope (docs/decisions.md).
 */
export interface OAuthFailure {
  readonly status: 400 | 401;
  readonly error: string;
  readonly description: string;
}

const failure =
  (status: 400 | 401, error: string) =>
  (description: string): OAuthFailure => ({ status, error, description });

/** The catalogue: every OAuth error code the built-in issuer answers. */
export const oauthErrors = {
  invalidRequest: failure(400, 'invalid_request'),
  /** 401: the token endpoint adds a `WWW-Authenticate: Basic` challenge. */
  invalidClient: failure(401, 'invalid_client'),
  invalidGrant: failure(400, 'invalid_grant'),
  unauthorizedClient: failure(400, 'unauthorized_client'),
  unsupportedGrantType: failure(400, 'unsupported_grant_type'),
  unsupportedResponseType: failure(400, 'unsupported_response_type'),
  invalidScope: failure(400, 'invalid_scope'),
  loginRequired: failure(400, 'login_required'),
  requestNotSupported: failure(400, 'request_not_supported'),
  requestUriNotSupported: failure(400, 'request_uri_not_supported'),
} as const;

export function isOAuthFailure(value: unknown): value is OAuthFailure {
  return typeof value === 'object' && value !== null && 'error' in value && 'description' in value && 'status' in value;
}
