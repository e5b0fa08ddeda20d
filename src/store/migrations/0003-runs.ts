import { sql, type Kysely } from 'kysely';

/**
 * Runs are the queue: workers claim a run by a conditional update of its lease. Jobs group tasks by
 * connector type; a task synchronizes (or removes) one source file. What each source file last
 * brought into its iModel is kept per connection, so later runs only process what changed; every
 * applied task effect is one row of imodel_changes, unique per task, so none is applied twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Source files created together share a timestamp; their request order is kept by `ordinal`.
  await db.schema
    .alterTable('source_files')
    .addColumn('ordinal', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('storage_connections.id').onDelete('cascade'))
    .addColumn('imodel_id', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('phase', 'text')
    .addColumn('error_key', 'text')
    .addColumn('error_description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('ended_at', 'text')
    /** Epoch ms after which the run ends TimedOut. */
    .addColumn('deadline_ms', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('claims', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('runs_connection').on('runs').columns(['connection_id', 'created_at', 'id']).execute();
  // At most one active run per iModel: simultaneous run requests get one 202 and 409s, whatever
  // the number of API processes.
  await sql`create unique index runs_one_active_per_imodel on runs (imodel_id) where state <> 'Completed'`.execute(db);
  await sql`create index runs_queue on runs (created_at) where state <> 'Completed'`.execute(db);

  await db.schema
    .createTable('run_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
    .addColumn('connector_type', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('run_jobs_run').on('run_jobs').columns(['run_id']).execute();

  await db.schema
    .createTable('run_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().references('run_jobs.id').onDelete('cascade'))
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    /** `sync` a source file's current content, or `remove` what a deleted source file brought in. */
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('source_file_id', 'text', (c) => c.notNull())
    .addColumn('storage_file_id', 'text', (c) => c.notNull())
    /** The storage file's name when the run was planned (file-name rules match it; the file may be gone by then). */
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('connector_type', 'text', (c) => c.notNull())
    .addColumn('content_version', 'integer')
    .addColumn('content_hash', 'text')
    .addColumn('content_size', 'bigint')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('retry_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('error', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('run_tasks_run').on('run_tasks').columns(['run_id', 'position']).execute();
  await db.schema.createIndex('run_tasks_job').on('run_tasks').columns(['job_id']).execute();

  await db.schema
    .createTable('synced_files')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('storage_connections.id').onDelete('cascade'))
    .addColumn('source_file_id', 'text', (c) => c.notNull())
    .addColumn('storage_file_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('connector_type', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('synced_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('synced_files_pk', ['connection_id', 'source_file_id'])
    .execute();

  await db.schema
    .createTable('imodel_changes')
    .addColumn('task_id', 'text', (c) => c.primaryKey())
    .addColumn('imodel_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('source_file_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text')
    .addColumn('summary', 'text')
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('imodel_changes_imodel').on('imodel_changes').columns(['imodel_id', 'applied_at']).execute();

  await db.schema
    .createTable('user_consents')
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .execute();
}
