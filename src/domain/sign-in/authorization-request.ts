import type { SignInClient } from './model.js';
import { oauthErrors, type OAuthFailure } from './oauth-errors.js';
import { isS256Challenge } from './pkce.js';

/** OpenID Connect's scopes: any client may ask for them on top of its API scopes. */
export const OPENID_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

const MAX_STATE = 2048;
const MAX_NONCE = 512;
const MAX_SCOPE = 2048;
const MAX_LOGIN_HINT = 254;

/** An authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1) that may be answered with a code. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  /** What the code will grant, in the order asked, once each. */
  readonly scopes: readonly string[];
  readonly state?: string;
  readonly codeChallenge: string;
  readonly nonce?: string;
  /** An address to fill the form with. */
  readonly loginHint?: string;
}

export type AuthorizationCheck =
  | { readonly ok: true; readonly request: AuthorizationRequest }
  /** The client or its redirect URI cannot be trusted: shown to the person, never redirected (RFC 6749 §4.1.2.1). */
  | { readonly ok: false; readonly redirect: false; readonly failure: OAuthFailure }
  /** Told to the client at its redirect URI (with `state` and `iss`). */
  | { readonly ok: false; readonly redirect: true; readonly failure: OAuthFailure; readonly location: string; readonly clientId: string };

/** The client id of a query, undefined when there is none or it is repeated. */
export function clientIdOf(query: Record<string, unknown>): string | undefined {
  const value = query.client_id;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Checks an authorization request. `client` is the client its `client_id` names (undefined when
 * none). `issuer` goes into error redirects as `iss` (RFC 9207), so a client talking to several
 * issuers knows which one answered. A parameter given twice is refused (RFC 6749 §3.1).
 */
export function checkAuthorizationRequest(query: Record<string, unknown>, client: SignInClient | undefined, issuer: string): AuthorizationCheck {
  const shown = (description: string): AuthorizationCheck => ({ ok: false, redirect: false, failure: oauthErrors.invalidRequest(description) });
  if (Array.isArray(query.client_id)) return shown('client_id is given more than once.');
  if (query.client_id === undefined || query.client_id === '') return shown('client_id is required.');
  if (!client) return shown('client_id names no client of this issuer.');
  const redirectUri = query.redirect_uri;
  if (Array.isArray(redirectUri)) return shown('redirect_uri is given more than once.');
  if (typeof redirectUri !== 'string' || redirectUri === '') return shown('redirect_uri is required.');
  // Exact string comparison (RFC 9700 §4.1.3): no normalisation, no prefix, no pattern.
  if (!client.redirectUris.includes(redirectUri)) return shown('redirect_uri is not one of the redirect URIs registered for this client.');

  const state = typeof query.state === 'string' && query.state.length <= MAX_STATE ? query.state : undefined;
  const redirected = (failure: OAuthFailure): AuthorizationCheck => ({
    ok: false,
    redirect: true,
    failure,
    clientId: client.clientId,
    location: withQuery(redirectUri, { error: failure.error, error_description: failure.description, ...(state === undefined ? {} : { state }), iss: issuer }),
  });

  const repeated = Object.entries(query).find(([, value]) => Array.isArray(value));
  if (repeated) return redirected(oauthErrors.invalidRequest(`${repeated[0]} is given more than once.`));
  const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? (query[name] as string) : undefined);
  if (typeof query.state === 'string' && query.state.length > MAX_STATE)
    return redirected(oauthErrors.invalidRequest(`state is longer than ${MAX_STATE} characters.`));
  if (text('request') !== undefined) return redirected(oauthErrors.requestNotSupported('Request objects are not supported.'));
  if (text('request_uri') !== undefined) return redirected(oauthErrors.requestUriNotSupported('request_uri is not supported.'));
  const responseMode = text('response_mode');
  if (responseMode !== undefined && responseMode !== 'query') return redirected(oauthErrors.invalidRequest('Only response_mode=query is supported.'));
  const responseType = text('response_type');
  if (responseType === undefined) return redirected(oauthErrors.invalidRequest('response_type is required.'));
  if (responseType !== 'code') return redirected(oauthErrors.unsupportedResponseType('Only response_type=code is supported.'));

  const scope = text('scope') ?? '';
  if (scope.length > MAX_SCOPE) return redirected(oauthErrors.invalidScope(`scope is longer than ${MAX_SCOPE} characters.`));
  const asked = [...new Set(scope.split(' ').filter(Boolean))];
  const allowed = new Set<string>([...client.scopes, ...OPENID_SCOPES]);
  const refused = asked.filter((s) => !allowed.has(s));
  if (refused.length > 0) return redirected(oauthErrors.invalidScope(`Scope not allowed for this client: ${refused.join(' ')}.`));
  const scopes = asked.length > 0 ? asked : [...client.scopes];

  const challenge = text('code_challenge');
  if (challenge === undefined) return redirected(oauthErrors.invalidRequest('code_challenge is required (PKCE with code_challenge_method=S256).'));
  // Absent, the method would be `plain` (RFC 7636 §4.3), which shows the verifier to whoever sees the request.
  if (text('code_challenge_method') !== 'S256') return redirected(oauthErrors.invalidRequest('code_challenge_method must be S256; plain is not accepted.'));
  if (!isS256Challenge(challenge))
    return redirected(oauthErrors.invalidRequest('code_challenge must be the 43-character base64url SHA-256 of the code verifier.'));

  const nonce = text('nonce');
  if (nonce !== undefined && nonce.length > MAX_NONCE) return redirected(oauthErrors.invalidRequest(`nonce is longer than ${MAX_NONCE} characters.`));
  // There are no sessions to sign in from silently: every authorization asks for the password.
  if ((text('prompt') ?? '').split(' ').includes('none'))
    return redirected(oauthErrors.loginRequired('Signing in needs the person: prompt=none cannot be honoured.'));
  const hint = text('login_hint');

  return {
    ok: true,
    request: {
      clientId: client.clientId,
      redirectUri,
      scopes,
      codeChallenge: challenge,
      ...(state === undefined ? {} : { state }),
      ...(nonce === undefined ? {} : { nonce }),
      ...(hint !== undefined && hint.length <= MAX_LOGIN_HINT ? { loginHint: hint } : {}),
    },
  };
}

/** `uri` with `params` added to its query (before any fragment; the redirect URI's own query is kept). */
export function withQuery(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
  return url.href;
}
