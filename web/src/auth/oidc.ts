import { challengeOf, randomToken } from './pkce';
import { claimsOf, clearSession, readSession, type Session, writeSession } from './session';
import type { WebAppSettings } from './settings';

/**
 * Sign-in with OpenID Connect's authorization code flow and PKCE (S256), as a public client: the
 * same code for the built-in issuer and for an external provider, which differ only in what
 * /app/config.json and their discovery documents say. Nothing here is specific to twinsync.
 */
interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
  response_types_supported?: string[];
}

/** What the page keeps between leaving for the provider and coming back: in this tab only. */
const PENDING_KEY = 'twinsync.signin';

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  /** The page's own path to show after sign-in. */
  returnTo: string;
}

const discoveries = new Map<string, Promise<Discovery>>();

function discover(authority: string): Promise<Discovery> {
  let found = discoveries.get(authority);
  if (!found) {
    found = fetch(`${authority.replace(/\/+$/, '')}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } }).then(async (response) => {
      if (!response.ok) throw new Error(`The sign-in provider's discovery document could not be read (HTTP ${response.status}).`);
      const document = (await response.json()) as Discovery;
      if (!document.authorization_endpoint || !document.token_endpoint) throw new Error('The sign-in provider names no authorization or token endpoint.');
      return document;
    });
    found.catch(() => discoveries.delete(authority));
    discoveries.set(authority, found);
  }
  return found;
}

/** Leaves for the provider's authorization endpoint; the browser comes back to the redirect URI with a code. */
export async function beginSignIn(settings: WebAppSettings, returnTo: string): Promise<never> {
  if (!settings.clientId) throw new Error('Sign-in is not configured for this service: its operator sets WEB_APP_CLIENT_ID.');
  const discovery = await discover(settings.authority);
  // A provider that says it answers no `code` would only show the browser an error page.
  if (discovery.response_types_supported && !discovery.response_types_supported.includes('code')) {
    throw new Error('The sign-in provider offers no sign-in with an authorization code (its discovery document says so).');
  }
  const pending: Pending = { state: randomToken(), nonce: randomToken(), verifier: randomToken(48), returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', settings.redirectUri);
  url.searchParams.set('scope', settings.scope);
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  url.searchParams.set('code_challenge', await challengeOf(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  window.location.assign(url.href);
  return new Promise<never>(() => {});
}

/**
 * The redirect URI's side: checks `state`, redeems the code with the verifier, keeps the tokens.
 * Returns the path to show next. Throws with the provider's own words when it refused.
 */
export async function completeSignIn(settings: WebAppSettings, params: URLSearchParams): Promise<string> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = raw ? (JSON.parse(raw) as Pending) : undefined;
  const error = params.get('error');
  if (error) throw new Error(`Sign-in was refused: ${params.get('error_description') ?? error}`);
  if (!pending || params.get('state') !== pending.state) throw new Error('This sign-in answer is not the one this tab asked for: sign in again.');
  const code = params.get('code');
  if (!code) throw new Error('The sign-in answer has no authorization code.');
  const discovery = await discover(settings.authority);
  const tokens = await tokenRequest(discovery.token_endpoint, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: settings.redirectUri,
    client_id: settings.clientId ?? '',
    code_verifier: pending.verifier,
  });
  // The ID token came straight from the token endpoint (OpenID Connect Core 3.1.3.7 lets TLS stand for
  // its signature there); its nonce still proves it answers this tab's request.
  if (tokens.id_token && claimsOf(tokens.id_token).nonce !== pending.nonce)
    throw new Error('The ID token does not answer this sign-in (nonce): sign in again.');
  writeSession(sessionFrom(tokens));
  return pending.returnTo;
}

/** A new access token from the refresh token, or undefined when there is none or the provider refuses. */
export async function renewSession(settings: WebAppSettings): Promise<Session | undefined> {
  const session = readSession();
  if (!session?.refreshToken || !settings.clientId) return undefined;
  try {
    const discovery = await discover(settings.authority);
    const tokens = await tokenRequest(discovery.token_endpoint, {
      grant_type: 'refresh_token',
      refresh_token: session.refreshToken,
      client_id: settings.clientId,
    });
    // Refresh tokens may rotate: keep the new one, or the old one when none came.
    const renewed = sessionFrom({ refresh_token: session.refreshToken, id_token: session.idToken, ...tokens });
    writeSession(renewed);
    return renewed;
  } catch {
    return undefined;
  }
}

/** Forgets the tokens; with a provider that has an end-session endpoint, ends its session too. */
export async function signOut(settings: WebAppSettings | undefined): Promise<void> {
  const session = readSession();
  clearSession();
  if (!settings || !session?.idToken) return;
  const discovery = await discover(settings.authority).catch(() => undefined);
  if (!discovery?.end_session_endpoint) return;
  const url = new URL(discovery.end_session_endpoint);
  url.searchParams.set('id_token_hint', session.idToken);
  url.searchParams.set('post_logout_redirect_uri', new URL(import.meta.env.BASE_URL, window.location.origin).href);
  window.location.assign(url.href);
}

interface TokenAnswer {
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
}

async function tokenRequest(endpoint: string, form: Record<string, string>): Promise<TokenAnswer> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<TokenAnswer> & { error?: string; error_description?: string };
  if (!response.ok || !body.access_token) {
    throw new Error(`The sign-in provider refused the token request: ${body.error_description ?? body.error ?? `HTTP ${response.status}`}`);
  }
  return body as TokenAnswer;
}

function sessionFrom(tokens: TokenAnswer): Session {
  const exp = claimsOf(tokens.access_token).exp;
  const expiresAt = tokens.expires_in ? Date.now() + tokens.expires_in * 1000 : typeof exp === 'number' ? exp * 1000 : Date.now() + 3600_000;
  return {
    accessToken: tokens.access_token,
    expiresAt,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
    ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
  };
}
