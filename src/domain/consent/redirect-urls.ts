/**
 * Which redirect URLs the consent page may send a browser to. Without a check, anyone with a token
 * could hand a user an authorization URL of this server that ends on a site of their choosing (an
 * open redirect under our name). Allowed:
 * - the redirect URLs registered for the caller's OAuth client (its `redirectUris`, built-in issuer);
 * - the redirect URLs of the deployment (CONSENT_REDIRECT_URLS), for every caller: with an external
 *   issuer, whose clients twinsync does not know, this is the only list;
 * - loopback addresses (`localhost`, `127.0.0.1`, `[::1]`, any port and path), where local tools such
 *   as itwin-cli listen for the answer (RFC 8252 §7.3: their port is chosen at run time).
 * A registered URL matches a redirect URL with the same scheme, host, port and path; the query and
 * fragment may differ (applications carry their `state` there).
 */
export interface RedirectRegistry {
  /** The registered redirect URLs of an OAuth client (none for an unknown client or no client). */
  forClient(clientId: string | undefined): readonly string[];
  /** The redirect URLs allowed for every caller. */
  readonly everyone: readonly string[];
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopback(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK.has(url.hostname);
}

/** `redirectUrl`: an absolute http(s) URL, normalized. */
export function isRegisteredRedirect(registry: RedirectRegistry, clientId: string | undefined, redirectUrl: string): boolean {
  const url = new URL(redirectUrl);
  if (isLoopback(url)) return true;
  const target = withoutQuery(url);
  return [...registry.forClient(clientId), ...registry.everyone].some((registered) => URL.canParse(registered) && withoutQuery(new URL(registered)) === target);
}

function withoutQuery(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export const NOT_REGISTERED =
  'redirectUrl is not a registered redirect URL of this client (loopback addresses such as http://localhost:<port>/ need no registration).';
