import type { Kysely } from 'kysely';

/**
 * iTwin repositories registered by clients (`POST /itwins/{id}/repositories`): one row each, gone
 * with its iTwin. `details` holds what twinsync stores and echoes but never interprets (the
 * documented `authentication` and `options` objects) as JSON text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('itwin_repositories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('itwin_id', 'text', (c) => c.notNull().references('itwins.id').onDelete('cascade'))
    .addColumn('class', 'text', (c) => c.notNull())
    .addColumn('sub_class', 'text')
    .addColumn('display_name', 'text')
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  // A list is one iTwin's repositories in creation order.
  await db.schema.createIndex('itwin_repositories_by_itwin').on('itwin_repositories').columns(['itwin_id', 'created_at', 'id']).execute();
}
