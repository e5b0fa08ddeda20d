import type { Kysely } from 'kysely';

/**
 * A source file shows its storage file's display name as `lastKnownFileName`. The name is read from
 * the storage file while it exists; this column keeps the name it had when it was deleted, so that
 * a source file whose file is gone still says which file that was.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('source_files').addColumn('last_known_file_name', 'text').execute();
}
