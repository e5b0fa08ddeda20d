import type { RunRepository } from '../../domain/runs/repository.js';
import type { Scope } from '../scope.js';
import type { Kysely } from 'kysely';
import type { Page } from '../../domain/paging.js';
import type { Database } from '../schema.js';
import type { RunJobRow, RunRow, RunTaskRow } from '../schema-runs.js';

type Db = Kysely<Database>;

export async function insertRun(db: Db, row: RunRow): Promise<void> {
  await db.insertInto('runs').values(row).execute();
}

/** The run of the iModel that is not Completed, if any (at most one: a partial unique index). */
export async function findActiveRun(db: Db, imodelId: string): Promise<RunRow | undefined> {
  return db.selectFrom('runs').selectAll().where('imodel_id', '=', imodelId).where('state', '<>', 'Completed').executeTakeFirst();
}

export async function findRun(db: Db, connectionId: string, id: string): Promise<RunRow | undefined> {
  return db.selectFrom('runs').selectAll().where('connection_id', '=', connectionId).where('id', '=', id).executeTakeFirst();
}

/** Newest first, ties broken by id: stable under paging. One row beyond the page tells whether more exist. */
export async function listRuns(db: Db, connectionId: string, page: Page): Promise<RunRow[]> {
  return db
    .selectFrom('runs')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .offset(page.skip)
    .limit(page.top + 1)
    .execute();
}

export async function jobsAndTasks(db: Db, runIds: readonly string[]): Promise<{ jobs: RunJobRow[]; tasks: RunTaskRow[] }> {
  if (runIds.length === 0) return { jobs: [], tasks: [] };
  const [jobs, tasks] = await Promise.all([
    db.selectFrom('run_jobs').selectAll().where('run_id', 'in', runIds).orderBy('connector_type').execute(),
    db.selectFrom('run_tasks').selectAll().where('run_id', 'in', runIds).orderBy('position').execute(),
  ]);
  return { jobs, tasks };
}

/** Ends the connection's active run as Cancelled; a worker holding it notices at its next step. */
export async function cancelActiveRuns(db: Db, connectionId: string, endedAt: string): Promise<void> {
  await db
    .updateTable('runs')
    .set({ state: 'Completed', result: 'Cancelled', ended_at: endedAt, lease_owner: null, lease_expires_ms: 0 })
    .where('connection_id', '=', connectionId)
    .where('state', '<>', 'Completed')
    .execute();
}

/** RunRepository over SQL. TODO(issue 11): the functions above become its methods. */
export class SqlRuns implements RunRepository {
  // eslint-disable-next-line no-unused-private-class-members -- TODO(issue 11): used once the methods move in
  constructor(protected readonly scope: Scope) {}
}
