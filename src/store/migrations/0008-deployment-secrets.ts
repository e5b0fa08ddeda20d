import type { Kysely } from 'kysely';

/**
 * What the processes of one deployment must share besides its data, kept where they all are: the
 * database. Before, each was a file in DATA_DIR (`issuer-key.json`, `upload-key.json`,
 * `consent-secret.json`, `clients.json`), which tied every API process to one shared disk; they are
 * imported from there on first start (src/auth/deployment-secrets.ts).
 *
 * `deployment_secrets`: named values, written once (the first process to start stores its candidate,
 * the others read it). `oauth_clients`: the built-in issuer's clients; `scopes` and `redirect_uris`
 * are JSON arrays of strings.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('deployment_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oauth_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('client_secret', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
