import { renewSession } from '../auth/oidc';
import { clearSession, readSession } from '../auth/session';
import { webAppSettings } from '../auth/settings';

/** The platform's media types: v1 for most APIs, v2 for iModels (what Bentley's own clients send). */
export const V1 = 'application/vnd.bentley.itwin-platform.v1+json';
export const V2 = 'application/vnd.bentley.itwin-platform.v2+json';

/** An answer in the API's error shape (docs/api-contract.md, Errors), kept whole for showing. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly { code?: string; message?: string; target?: string }[] = [],
  ) {
    super(message);
  }

  /** The message with its details, as a person reads it. */
  describe(): string {
    const details = this.details.map((d) => d.message).filter(Boolean);
    return details.length ? `${this.message} ${details.join(' ')}` : this.message;
  }
}

/** Nobody is signed in, or the session ended and could not be renewed: the page shows its sign-in screen. */
export class SignInNeeded extends Error {
  constructor() {
    super('Sign in to continue.');
  }
}

export interface Answer<T> {
  status: number;
  headers: Headers;
  /** The body, parsed; undefined for an empty one. */
  body: T;
  /** Where the answer came from, after redirects (a run request's 303 ends at the active run). */
  url: string;
}

export interface RequestOptions {
  body?: unknown;
  accept?: string;
  /** `return=representation` for whole objects in lists. */
  prefer?: string;
  signal?: AbortSignal;
}

/** An absolute URL of the service: hrefs from answers stay as given, paths are joined to PUBLIC_URL. */
export async function apiUrl(pathOrHref: string): Promise<string> {
  if (/^https?:\/\//i.test(pathOrHref)) return pathOrHref;
  return new URL(pathOrHref, (await webAppSettings()).apiUrl).href;
}

/** A bearer token that is valid for at least another minute, renewed with the refresh token if need be. */
export async function accessToken(): Promise<string> {
  const session = readSession();
  if (!session) throw new SignInNeeded();
  if (session.expiresAt - Date.now() > 60_000) return session.accessToken;
  const renewed = await renewSession(await webAppSettings());
  if (renewed) return renewed.accessToken;
  if (session.expiresAt > Date.now()) return session.accessToken;
  clearSession();
  throw new SignInNeeded();
}

export async function request<T = unknown>(method: string, pathOrHref: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const url = await apiUrl(pathOrHref);
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { authorization: `Bearer ${await accessToken()}`, accept: options.accept ?? V1 };
    if (options.prefer) headers.prefer = options.prefer;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    const text = await response.text();
    const body = text && /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined;
    if (response.status === 401 && attempt === 0) {
      // Perhaps revoked or expired early: one renewal, then the answer stands.
      if (await renewSession(await webAppSettings())) continue;
      clearSession();
      throw new SignInNeeded();
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string; details?: ApiError['details'] } } | undefined)?.error;
      throw new ApiError(
        response.status,
        error?.code ?? `HTTP${response.status}`,
        error?.message ?? `The service answered ${response.status}.`,
        error?.details ?? [],
      );
    }
    return { status: response.status, headers: response.headers, body: body as T, url: response.url };
  }
}

export const get = <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options).then((answer) => answer.body);
export const post = <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body });
export const patch = <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }).then((a) => a.body);
export const remove = (path: string, options?: RequestOptions) => request('DELETE', path, options).then(() => undefined);

/** Every item of a list, following `_links.next` (at most `maxPages` pages of 1000). */
export async function all<T>(path: string, key: string, options: RequestOptions = {}, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = path;
  for (let page = 0; next && page < maxPages; page++) {
    const body: Record<string, unknown> & { _links?: { next?: { href?: string } } } = await get(next, options);
    items.push(...((body[key] as T[] | undefined) ?? []));
    next = body._links?.next?.href;
  }
  return items;
}
