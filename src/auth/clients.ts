import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readOrCreateJson } from './files.js';

/** An OAuth client of the built-in issuer (client_credentials grant). */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The `sub` of its tokens: the identity iTwin membership is granted to. */
  subject: string;
  /** Scopes it may ask for; also what it gets when it asks for none. */
  scopes: string[];
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

/** Clients live in DATA_DIR/clients.json; a default client is created on first start. */
export function loadClients(dataDir: string): OAuthClient[] {
  return readOrCreateJson<OAuthClient[]>(dataDir, 'clients.json', () => [
    {
      clientId: 'twinsync-local',
      clientSecret: randomBytes(24).toString('base64url'),
      subject: 'twinsync-local-user',
      scopes: ALL_SCOPES,
    },
  ]);
}

export function authenticateClient(
  clients: readonly OAuthClient[],
  clientId: string,
  clientSecret: string,
): OAuthClient | undefined {
  const client = clients.find((c) => c.clientId === clientId);
  if (!client) return undefined;
  const expected = Buffer.from(client.clientSecret);
  const given = Buffer.from(clientSecret);
  return expected.length === given.length && timingSafeEqual(expected, given) ? client : undefined;
}
