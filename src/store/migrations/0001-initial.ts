import type { Kysely } from 'kysely';

/** The platform records create-connection checks, and storage connections with their source files. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('itwins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('class', 'text', (c) => c.notNull())
    .addColumn('sub_class', 'text', (c) => c.notNull())
    .addColumn('type', 'text')
    .addColumn('number', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('extra', 'text')
    .addColumn('root_folder_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('itwin_members')
    .addColumn('itwin_id', 'text', (c) => c.notNull().references('itwins.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('itwin_members_pk', ['itwin_id', 'subject'])
    .execute();
  await db.schema.createIndex('itwin_members_subject').on('itwin_members').columns(['subject', 'itwin_id']).execute();

  await db.schema
    .createTable('imodels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('itwin_id', 'text', (c) => c.notNull().references('itwins.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('extent', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('imodels_itwin').on('imodels').columns(['itwin_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('storage_folders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('itwin_id', 'text', (c) => c.notNull().references('itwins.id').onDelete('cascade'))
    .addColumn('parent_id', 'text', (c) => c.references('storage_folders.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('storage_folders_parent').on('storage_folders').columns(['parent_id']).execute();

  await db.schema
    .createTable('storage_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('itwin_id', 'text', (c) => c.notNull().references('itwins.id').onDelete('cascade'))
    .addColumn('folder_id', 'text', (c) => c.notNull().references('storage_folders.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('content_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('content_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .addColumn('modified_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('storage_files_folder').on('storage_files').columns(['folder_id']).execute();

  await db.schema
    .createTable('storage_connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('imodel_id', 'text', (c) => c.notNull().references('imodels.id').onDelete('cascade'))
    .addColumn('itwin_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('authentication_type', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_run_id', 'text')
    .execute();
  await db.schema.createIndex('storage_connections_imodel').on('storage_connections').columns(['imodel_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('source_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('storage_connections.id').onDelete('cascade'))
    .addColumn('imodel_id', 'text', (c) => c.notNull())
    .addColumn('storage_file_id', 'text', (c) => c.notNull())
    .addColumn('connector_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // The 409 rule (a storage file is a source file of at most one connection per iModel) lives here,
  // so that it holds for concurrent requests and for any number of API processes.
  await db.schema.createIndex('source_files_one_mapping_per_imodel').on('source_files').columns(['imodel_id', 'storage_file_id']).unique().execute();
  await db.schema.createIndex('source_files_connection').on('source_files').columns(['connection_id', 'created_at', 'id']).execute();
}
