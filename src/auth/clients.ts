import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readOrCreateJson } from '../shared/json-file.js';

/** An OAuth client of the built-in issuer (client_credentials grant). */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The `sub` of its tokens: the identity iTwin membership is granted to. */
  subject: string;
  /** Scopes it may ask for; also what it gets when it asks for none. */
  scopes: string[];
  /**
   * Where the consent page may send a browser back to after consent asked for by this client's
   * tokens (exact URLs). Loopback addresses are always allowed (docs/decisions.md).
   */
  redirectUris?: string[];
}

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
];

export const CLIENTS_FILE = 'clients.json';

/** Clients live in DATA_DIR/clients.json; a default client is created on first start. */
export function loadClients(dataDir: string): OAuthClient[] {
  const raw = readOrCreateJson<unknown>(dataDir, CLIENTS_FILE, () => [newClient('twinsync-local', 'twinsync-local-user', ALL_SCOPES)]);
  return parseClients(raw, path.join(dataDir, CLIENTS_FILE));
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
 * The file's content as clients, or an error naming the file and the entry: a hand-edited file with
 * a mistake must say where the mistake is.
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
    return { ...(entry as OAuthClient), redirectUris: (redirectUris as string[] | undefined)?.map((u) => new URL(u).href) };
  });
}

export function isRedirectUri(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/**
 * Replaces DATA_DIR/clients.json in one step (a temporary file renamed over it), so that a server
 * reading it never sees half a file. Mode 0600: it holds the secrets.
 */
export function writeClients(dataDir: string, clients: readonly OAuthClient[]): void {
  const file = path.join(dataDir, CLIENTS_FILE);
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  const stored = clients.map(({ redirectUris, ...rest }) => (redirectUris && redirectUris.length > 0 ? { ...rest, redirectUris } : rest));
  try {
    fs.writeFileSync(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

export function authenticateClient(clients: readonly OAuthClient[], clientId: string, clientSecret: string): OAuthClient | undefined {
  const client = clients.find((c) => c.clientId === clientId);
  if (!client) return undefined;
  const expected = Buffer.from(client.clientSecret);
  const given = Buffer.from(clientSecret);
  return expected.length === given.length && timingSafeEqual(expected, given) ? client : undefined;
}
