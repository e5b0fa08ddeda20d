import type { Kysely } from 'kysely';

/**
 * A task's diagnostic report (docs/reports.md): the id of the blob its worker stored before the
 * transaction that completed the task, written by that same statement. Null when the task has no
 * report (not completed yet, or completed before reports existed). The report's time is the task's
 * `ended_at`. No index of its own: reports are asked for by run, which run_tasks_run already serves,
 * and every index is one more write on the worker's path.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('run_tasks').addColumn('report_id', 'text').execute();
}
