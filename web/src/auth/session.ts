/**
 * The signed-in session, in the tab's sessionStorage: it ends with the tab, is not shared with
 * other sites, and survives the page's own reloads.
 *
 * Only the page's sign-in writes it: the browser tests sign in on a login page too (docs/web-app.md,
 * How the tests sign in), so there is no code path for tests.
 */
export const SESSION_KEY = 'twinsync.session';

export interface Session {
  accessToken: string;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number;
  /** Present when the provider gave one: the page renews the access token with it. */
  refreshToken?: string;
  idToken?: string;
}

export function readSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<Session>;
    if (typeof value.accessToken !== 'string' || typeof value.expiresAt !== 'number') return undefined;
    return value as Session;
  } catch {
    return undefined;
  }
}

export function writeSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  notify();
}

export function clearSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
  notify();
}

/** The token's claims, read without checking its signature: for showing who is signed in, never for deciding anything. */
export function claimsOf(token: string): Record<string, unknown> {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const listeners = new Set<() => void>();

/** Called whenever the session changes (sign-in, renewal, sign-out). */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of [...listeners]) listener();
}
