import type { Kysely } from 'kysely';

/**
 * Synchronization configurations, one table per scope (iTwin, iModel, storage connection), each
 * keyed by its scope's id and deleted with it by a foreign key cascade: deleting an iTwin, an
 * iModel or a connection leaves no configuration behind, in the same transaction.
 *
 * `settings` is the JSON object of the flags stored at that scope, known and unknown alike (the
 * domain bounds its size). `version` counts its changes, so that a PATCH (read, merge, write)
 * replaces only what it read and two concurrent PATCHes cannot lose each other's flags.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const scopes = [
    ['itwin_configurations', 'itwin_id', 'itwins.id'],
    ['imodel_configurations', 'imodel_id', 'imodels.id'],
    ['connection_configurations', 'connection_id', 'storage_connections.id'],
  ] as const;
  for (const [table, key, references] of scopes) {
    await db.schema
      .createTable(table)
      .addColumn(key, 'text', (c) => c.primaryKey().references(references).onDelete('cascade'))
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  }
}
