import { sql, type Kysely } from 'kysely';

/**
 * Manifest connections (docs/manifest-connections.md). They live in the connections table beside
 * storage connections, told apart by `kind`, so that runs, jobs, tasks, synchronized files,
 * configurations and the generic connection list serve both without a second set of tables. Their
 * source files are ids of a document system (not storage files), in a table of their own whose unique
 * index is the 409 rule of manifest source files. A manifest run's body is kept beside the run, for
 * the worker that plans and executes it; it goes with the run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('storage_connections')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo(sql.lit('storage')))
    .execute();

  await db.schema
    .createTable('manifest_source_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('storage_connections.id').onDelete('cascade'))
    .addColumn('imodel_id', 'text', (c) => c.notNull())
    .addColumn('source_file_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ordinal', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('manifest_source_files_one_per_imodel').on('manifest_source_files').columns(['imodel_id', 'source_file_id']).unique().execute();
  await db.schema
    .createIndex('manifest_source_files_connection')
    .on('manifest_source_files')
    .columns(['connection_id', 'created_at', 'ordinal', 'id'])
    .execute();

  await db.schema
    .createTable('manifest_runs')
    .addColumn('run_id', 'text', (c) => c.primaryKey().references('runs.id').onDelete('cascade'))
    .addColumn('manifest', 'text', (c) => c.notNull())
    .execute();
}
