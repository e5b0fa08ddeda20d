import type { Kysely } from 'kysely';

/**
 * Storage uploads and iModel names. An upload row is one version of a file's content on its way in:
 * created with the signed upload URL, filled in when its bytes arrived whole (staged in
 * DATA_DIR/uploads), and completed when `complete` makes it the file's current content.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('storage_uploads')
    .addColumn('file_id', 'text', (c) => c.notNull().references('storage_files.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    // Set once a whole body has arrived; a later PUT of the same version replaces them.
    .addColumn('staged_name', 'text')
    .addColumn('size', 'bigint')
    .addColumn('content_hash', 'text')
    .addColumn('uploaded_at', 'text')
    .addColumn('completed_at', 'text')
    .addPrimaryKeyConstraint('storage_uploads_pk', ['file_id', 'version'])
    .execute();

  // The iModels API refuses a second iModel of the same name in an iTwin (409 iModelExists); the
  // index makes that hold for concurrent creates too.
  await db.schema.createIndex('imodels_name_per_itwin').on('imodels').columns(['itwin_id', 'name']).unique().execute();
  await db.schema.createIndex('storage_files_itwin').on('storage_files').columns(['itwin_id']).execute();
}
