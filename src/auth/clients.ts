import { randomBytes, timingSafeEqual } from 'node:crypto';
import { BUILTIN_WEB_CLIENT_ID } from '../config.js';
import type { OAuthClient } from '../domain/deployment/model.js';

export type { OAuthClient } from '../domain/deployment/model.js';

export const ALL_SCOPES = [
  'itwin-platform',
  'synchronization:read',
  'synchronization:modify',
  'itwins:read',
  'itwins:modify',
  'imodels:read',
  'imodels:modify',
  'storage:read',
  'storage:modify',
  'webhooks:read',
  'webhooks:modify',
  'changedelements:read',
  'changedelements:modify',
];

/** The client made on a deployment's first start, so that `npm start` works with nothing to set up. */
export function defaultClient(): OAuthClient {
  return newClient('twinsync-local', 'twinsync-local-user', ALL_SCOPES);
}

/** The public client of the web application the service serves under `/app/` (docs/sign-in.md, docs/web-app.md). */
export const WEB_CLIENT_ID = BUILTIN_WEB_CLIENT_ID;
/** Where the web application receives its authorization codes, below the public URL. */
export const WEB_CALLBACK_PATH = '/app/callback';

/** The web application's client, added once per deployment; `publicUrl` is that of the start that adds it. */
export function webClient(publicUrl: string): OAuthClient {
  return newPublicClient(WEB_CLIENT_ID, ALL_SCOPES, [`${publicUrl}${WEB_CALLBACK_PATH}`]);
}

/** A public client: no secret, codes only to `redirectUris`, with PKCE. Its `subject` is unused (it has no tokens of its own). */
export function newPublicClient(clientId: string, scopes: readonly string[], redirectUris: readonly string[]): OAuthClient {
  return { clientId, subject: clientId, scopes: [...scopes], redirectUris: [...redirectUris] };
}

export function isPublicClient(client: OAuthClient): boolean {
  return client.clientSecret === undefined;
}

/**
 * Where a client may have codes sent: its registered redirect URIs, and, for the web application's
 * client, its callback at this server's own public URL. That one is computed rather than only
 * stored, so that the page keeps working when the deployment is reached at another address
 * (`PORT=4000 npm start` on the same data): it is this server's own page, wherever it is.
 */
export function redirectUrisOf(client: OAuthClient, publicUrl: string): string[] {
  const registered = client.redirectUris ?? [];
  if (client.clientId !== WEB_CLIENT_ID) return [...registered];
  const own = `${publicUrl}${WEB_CALLBACK_PATH}`;
  return registered.includes(own) ? [...registered] : [...registered, own];
}

export function newClient(clientId: string, subject: string, scopes: readonly string[], redirectUris: readonly string[] = []): OAuthClient {
  return {
    clientId,
    clientSecret: randomBytes(24).toString('base64url'),
    subject,
    scopes: [...scopes],
    ...(redirectUris.length > 0 ? { redirectUris: [...redirectUris] } : {}),
  };
}

/**
 * A legacy `clients.json`'s content as clients, or an error naming the file and the entry: a
 * hand-edited file with a mistake must say where the mistake is.
 */
export function parseClients(raw: unknown, file: string): OAuthClient[] {
  if (!Array.isArray(raw)) throw new Error(`${file}: must be a JSON array of clients`);
  const seen = new Set<string>();
  return raw.map((entry: unknown, i) => {
    const where = `${file}: client ${i + 1}`;
    if (typeof entry !== 'object' || entry === null) throw new Error(`${where} is not an object`);
    const { clientId, clientSecret, subject, scopes, redirectUris } = entry as Record<string, unknown>;
    if (typeof clientId !== 'string' || clientId === '') throw new Error(`${where}: clientId must be a non-empty string`);
    if (seen.has(clientId)) throw new Error(`${where}: clientId "${clientId}" appears twice`);
    seen.add(clientId);
    if (typeof clientSecret !== 'string' || clientSecret === '') throw new Error(`${where}: clientSecret must be a non-empty string`);
    if (typeof subject !== 'string' || subject === '') throw new Error(`${where}: subject must be a non-empty string`);
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) throw new Error(`${where}: scopes must be an array of strings`);
    if (redirectUris !== undefined && (!Array.isArray(redirectUris) || !redirectUris.every(isRedirectUri))) {
      throw new Error(`${where}: redirectUris must be an array of absolute http(s) URLs`);
    }
    const uris = (redirectUris as string[] | undefined)?.map((u) => new URL(u).href) ?? [];
    return { clientId, clientSecret, subject, scopes: scopes as string[], ...(uris.length > 0 ? { redirectUris: uris } : {}) };
  });
}

export function isRedirectUri(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/** `client` if `clientSecret` is its secret (compared in constant time), otherwise undefined (always for a public client). */
export function authenticateClient(client: OAuthClient | undefined, clientSecret: string): OAuthClient | undefined {
  if (!client?.clientSecret) return undefined;
  const expected = Buffer.from(client.clientSecret);
  const given = Buffer.from(clientSecret);
  return expected.length === given.length && timingSafeEqual(expected, given) ? client : undefined;
}
