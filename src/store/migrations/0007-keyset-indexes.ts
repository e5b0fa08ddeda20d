import type { Kysely } from 'kysely';

/**
 * Indexes that cover the ORDER BY of the lists a `$continuationToken` continues, so that each page
 * is a range scan of an index behind the list's filter (see src/store/keyset.ts) instead of a sort
 * of every row the filter selects. A folder's listing orders by (created_at, id) within its folders
 * and within its files; a connection's source files by (created_at, ordinal, id). Each new index
 * starts with the column of the one it replaces, which the foreign key lookups used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('storage_folders_parent_created').on('storage_folders').columns(['parent_id', 'created_at', 'id']).execute();
  await db.schema.dropIndex('storage_folders_parent').execute();
  await db.schema.createIndex('storage_files_folder_created').on('storage_files').columns(['folder_id', 'created_at', 'id']).execute();
  await db.schema.dropIndex('storage_files_folder').execute();
  await db.schema.createIndex('source_files_connection_created').on('source_files').columns(['connection_id', 'created_at', 'ordinal', 'id']).execute();
  await db.schema.dropIndex('source_files_connection').execute();
}
