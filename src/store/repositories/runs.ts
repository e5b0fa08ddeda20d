import { sql, type JoinBuilder, type Kysely, type QueryCreator, type RawBuilder } from 'kysely';
import type { Page } from '../../domain/paging.js';
import { LeaseLost } from '../../domain/runs/lease-lost.js';
import type {
  CancelledRun,
  HeldTask,
  Job,
  NewRun,
  QueuedRun,
  Run,
  RunChange,
  RunJob,
  RunSummary,
  RunTask,
  SyncedFile,
  TaskAction,
  TaskEnd,
  TaskOutcome,
  TaskStart,
} from '../../domain/runs/model.js';
import { RunState } from '../../domain/runs/model.js';
import { changesetRow } from './versions.js';
import { connectionFromRow } from './storage-connections.js';
import type { CurrentSourceFile } from '../../domain/runs/plan.js';
import type { StoredContent } from '../../domain/storage/model.js';
import type { ClaimedRun, Planning, RunRepository } from '../../domain/runs/repository.js';
import { compileOnce } from '../compiled-query.js';
import { sortsAfter } from '../keyset.js';
import type { Scope } from '../scope.js';
import type { Database, StorageConnectionRow } from '../schema.js';
import type { RunJobRow, RunRow, RunTaskRow } from '../schema-runs.js';

type Db = Kysely<Database>;

/** Runs, their jobs and tasks, and the run queue, over SQL. */
export class SqlRuns implements RunRepository {
  constructor(private readonly scope: Scope) {}

  insert(run: NewRun): Promise<boolean> {
    return this.scope.write(async (db) => {
      try {
        await db.insertInto('runs').values(newRunRow(run)).execute();
        return true;
      } catch (error) {
        // The partial unique index allows one active run per iModel: a concurrent request got there first.
        // (On PostgreSQL the violation aborts the transaction: the caller ends it.)
        if (this.scope.dialect.isUniqueViolation(error)) return false;
        throw error;
      }
    });
  }

  async findActiveOf(iModelId: string): Promise<{ id: string; connectionId: string } | undefined> {
    const row = await this.scope.db.selectFrom('runs').selectAll().where('imodel_id', '=', iModelId).where('state', '<>', 'Completed').executeTakeFirst();
    return row && { id: row.id, connectionId: row.connection_id };
  }

  async find(connectionId: string, id: string): Promise<Run | undefined> {
    const row = await this.scope.db.selectFrom('runs').selectAll().where('connection_id', '=', connectionId).where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return runFromRow(row, (await this.jobsOf([row.id])).get(row.id) ?? []);
  }

  async listOf(connectionId: string, page: Page): Promise<Run[]> {
    let query = this.scope.db.selectFrom('runs').selectAll().where('connection_id', '=', connectionId);
    if (page.continuation) query = query.where(sortsAfter(['created_at', 'id'], page.continuation.after, 'desc'));
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map((row) => runFromRow(row, []));
  }

  async jobsOf(runIds: readonly string[]): Promise<Map<string, Job[]>> {
    const byRun = new Map<string, Job[]>();
    if (runIds.length === 0) return byRun;
    const db = this.scope.db;
    const [jobs, tasks] = await Promise.all([
      db.selectFrom('run_jobs').selectAll().where('run_id', 'in', runIds).orderBy('connector_type').execute(),
      db.selectFrom('run_tasks').selectAll().where('run_id', 'in', runIds).orderBy('position').execute(),
    ]);
    const tasksByJob = new Map<string, RunTaskRow[]>();
    for (const task of tasks) {
      const ofJob = tasksByJob.get(task.job_id);
      if (ofJob) ofJob.push(task);
      else tasksByJob.set(task.job_id, [task]);
    }
    for (const job of jobs) {
      const ofRun = byRun.get(job.run_id);
      const value = jobFromRows(job, tasksByJob.get(job.id) ?? []);
      if (ofRun) ofRun.push(value);
      else byRun.set(job.run_id, [value]);
    }
    return byRun;
  }

  cancelActiveOf(connectionId: string, endedAt: string): Promise<CancelledRun[]> {
    return this.scope.write((db) => cancelActiveRuns(db, 'connection_id', connectionId, endedAt));
  }

  cancelActiveOfIModel(iModelId: string, endedAt: string): Promise<CancelledRun[]> {
    return this.scope.write((db) => cancelActiveRuns(db, 'imodel_id', iModelId, endedAt));
  }

  async countsByStateAndResult(): Promise<{ state: string; result: string; count: number }[]> {
    const rows = await this.scope.db
      .selectFrom('runs')
      .select(['state', 'result', (eb) => eb.fn.countAll().as('count')])
      .groupBy(['state', 'result'])
      .execute();
    return rows.map((r) => ({ state: r.state, result: r.result, count: Number(r.count) }));
  }

  async queueDepth(nowMs: number): Promise<number> {
    const row = await this.scope.db
      .selectFrom('runs')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('state', '<>', 'Completed')
      .where('lease_expires_ms', '<', nowMs)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async claimNext(owner: string, nowMs: number, leaseMs: number): Promise<ClaimedRun | undefined> {
    // One conditional update that picks and takes the oldest free run: one statement, atomic by
    // itself (on PostgreSQL one round trip, where a look-up and a claim in a transaction were four).
    // Progress: a claim lost with the database server's crash leaves the run to be claimed again.
    const params = { owner, nowMs, expiresMs: nowMs + leaseMs };
    if (this.scope.dialect.name === 'postgres') {
      // With what planning reads, in the same statement: a round trip less for every new run. (On
      // SQLite, where a statement is a function call, the worker asks planningOf instead.)
      const [row] = await this.scope.writeProgress((db) => claimNextWithPlanning(db, params));
      if (!row) return undefined;
      const { planning_connection, planning_current, planning_synced, ...run } = row;
      if (run.state !== RunState.WaitingToExecute) return { run: queuedFromRow(run) };
      const connection = planning_connection as StorageConnectionRow | null;
      const planning = {
        connection: connection ? connectionFromRow(connection) : undefined,
        ...sourcesFrom(planning_current as CurrentRow[], planning_synced as SyncedRow[]),
      };
      return { run: queuedFromRow(run), planning };
    }
    const [row] = await this.scope.writeProgress((db) => claimNextSerialized(db, params));
    return row && { run: queuedFromRow(row) };
  }

  async findQueued(id: string): Promise<QueuedRun | undefined> {
    const row = await this.scope.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row && queuedFromRow(row);
  }

  // Renewing and releasing run straight on the connection, not through the group commit: one
  // statement each, atomic by itself, and a heartbeat never waits behind a batch of other writes.
  async renewLease(id: string, owner: string, untilMs: number): Promise<boolean> {
    const result = await this.scope.db
      .updateTable('runs')
      .set({ lease_expires_ms: untilMs })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('state', '<>', 'Completed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.scope.db.updateTable('runs').set({ lease_owner: null, lease_expires_ms: 0 }).where('id', '=', id).where('lease_owner', '=', owner).execute();
  }

  updateHeld(id: string, owner: string, change: RunChange): Promise<void> {
    return this.scope.writeOne((db) => updateHeldRun(db, id, owner, change, this.scope.dialect.statementsAreRoundTrips));
  }

  async sourcesOf(connectionId: string): Promise<{ current: CurrentSourceFile[]; synced: SyncedFile[] }> {
    const db = this.scope.db;
    // Side by side: on PostgreSQL outside a transaction, two connections, one round trip's wait.
    const [current, synced] = await Promise.all([currentSources(db, { connectionId }), syncedSources(db, { connectionId })]);
    return sourcesFrom(current, synced);
  }

  async planningOf(connectionId: string): Promise<Planning> {
    const db = this.scope.db;
    if (this.scope.dialect.statementsAreRoundTrips) {
      // PostgreSQL: the connection with its source files and synchronized files aggregated into it,
      // one statement where three ran (each a round trip, and a statement's fixed cost for the server).
      const [row] = await planningRow(db, { connectionId });
      if (!row) return { connection: undefined, current: [], synced: [] };
      const { current, synced, ...connection } = row;
      return { connection: connectionFromRow(connection), ...sourcesFrom(current as CurrentRow[], synced as SyncedRow[]) };
    }
    const [connection, sources] = await Promise.all([
      db.selectFrom('storage_connections').selectAll().where('id', '=', connectionId).executeTakeFirst(),
      this.sourcesOf(connectionId),
    ]);
    return { connection: connection && connectionFromRow(connection), ...sources };
  }

  async startPlanned(
    run: { id: string; iModelId: string },
    owner: string,
    start: RunChange,
    jobs: readonly RunJob[],
    tasks: readonly RunTask[],
    first: Pick<RunTask, 'storageFileId'>,
  ): Promise<TaskStart> {
    const read = { iModelId: run.iModelId, storageFileId: first.storageFileId };
    // PostgreSQL: the run's update, its jobs and its tasks in one statement (one round trip where a
    // transaction took four), the inserts selecting from the update so that nothing is written
    // unless it proved the lease; what the first task starts from is read in the same statement.
    if (this.scope.dialect.insertsInWith && jobs.length > 0 && tasks.length > 0 && tasks.length <= TASKS_PER_STATEMENT) {
      // Progress: a plan lost with the database server's crash is made again by the run's next claim.
      const [row] = await this.scope.writeProgress((db) =>
        startPlannedIfHeld(db, { ...heldColumns(start, owner), id: run.id, owner, ...jobColumns(jobs), ...taskColumns(tasks), ...read }),
      );
      if (!row || Number(row.inserted) !== tasks.length) throw new LeaseLost(run.id);
      return taskStartFrom(row);
    }
    return this.scope.write(async (db) => {
      await updateHeldRun(db, run.id, owner, start, this.scope.dialect.statementsAreRoundTrips);
      if (jobs.length > 0) await db.insertInto('run_jobs').values(jobs.map(jobRow)).execute();
      // In slices: a statement has a limit on its parameters (SQLite's is the lowest).
      for (let i = 0; i < tasks.length; i += TASKS_PER_STATEMENT)
        await db
          .insertInto('run_tasks')
          .values(tasks.slice(i, i + TASKS_PER_STATEMENT).map(taskRow))
          .execute();
      return startOf(db, read);
    });
  }

  async tasksOf(runId: string): Promise<HeldTask[]> {
    const rows = await this.scope.db.selectFrom('run_tasks').selectAll().where('run_id', '=', runId).orderBy('position').execute();
    return rows.map((row) => ({ ...runTaskFromRow(row), error: row.error === null ? null : jsonOrText(row.error) }));
  }

  async startHeldTask(
    run: { id: string; iModelId: string },
    owner: string,
    task: Pick<RunTask, 'id' | 'jobId' | 'storageFileId'>,
    startedAt: string,
  ): Promise<TaskStart> {
    const params = { runId: run.id, iModelId: run.iModelId, owner, taskId: task.id, jobId: task.jobId, storageFileId: task.storageFileId, startedAt };
    if (this.scope.dialect.insertsInWith) {
      // One statement: the task and its job change only if the run's update proved the lease, and
      // what the task starts from is read in the same statement.
      // Progress: a start lost with the database server's crash only means the task starts again.
      const [row] = await this.scope.writeProgress((db) => startTaskIfHeld(db, params));
      if (!row) throw new LeaseLost(run.id);
      return taskStartFrom(row);
    }
    return this.scope.write(async (db) => {
      await updateHeldRun(db, run.id, owner, {}, false);
      await startTaskRow(db, params);
      await startJobRow(db, params);
      return startOf(db, params);
    });
  }

  async endHeldTask(end: TaskEnd): Promise<void> {
    const params = endParams(end);
    if (this.scope.dialect.insertsInWith) {
      // One statement (one round trip, committing alone) where a transaction took eight: every
      // write in it happens only if the run's update proved the lease.
      const held = await this.scope.writeOne((db) => endTaskIfHeld(db, params));
      if (held.length !== 1) throw new LeaseLost(end.runId);
      return;
    }
    await this.scope.write(async (db) => {
      await updateHeldRun(db, end.runId, end.owner, end.run ?? {}, false);
      // The primary key (iModel, index) and the unique task id refuse a second changeset at the
      // same place or for the same task: the transaction fails rather than record an effect twice.
      if (end.changeset) await db.insertInto('changesets').values(changesetRow(end.changeset)).execute();
      if (end.synced) {
        const synced = syncedColumns(end.synced.file, end.runId, end.synced.at);
        await db
          .insertInto('synced_files')
          .values({ connection_id: end.synced.connectionId, source_file_id: end.synced.file.sourceFileId, ...synced })
          .onConflict((c) => c.columns(['connection_id', 'source_file_id']).doUpdateSet(synced))
          .execute();
      }
      if (end.forgotten) {
        await db
          .deleteFrom('synced_files')
          .where('connection_id', '=', end.forgotten.connectionId)
          .where('source_file_id', '=', end.forgotten.sourceFileId)
          .execute();
      }
      await db.updateTable('run_tasks').set(outcomeColumns(end.outcome)).where('id', '=', end.taskId).execute();
      if (end.job)
        await db.updateTable('run_jobs').set({ state: 'Completed', result: end.job.result, ended_at: end.job.endedAt }).where('id', '=', end.job.id).execute();
    });
  }

  endUnfinished(runId: string, result: string, endedAt: string): Promise<void> {
    const ended = { state: 'Completed', result, ended_at: endedAt };
    return this.scope.write(async (db) => {
      await db.updateTable('run_tasks').set(ended).where('run_id', '=', runId).where('state', '<>', 'Completed').execute();
      await db.updateTable('run_jobs').set(ended).where('run_id', '=', runId).where('state', '<>', 'Completed').execute();
    });
  }

  async summaryOf(runId: string): Promise<RunSummary | undefined> {
    const db = this.scope.db;
    const run = await db
      .selectFrom('runs')
      .select(['id', 'connection_id', 'result', 'created_at', 'ended_at', 'error_key', 'error_description'])
      .where('id', '=', runId)
      .executeTakeFirst();
    if (!run) return undefined;
    const tasks = (await taskSummaries(db, { runId })).map((t) => ({
      result: t.result,
      connectorType: t.connector_type,
      fileName: t.file_name,
      error: t.error === null ? null : jsonOrText(t.error),
    }));
    return {
      id: run.id,
      connectionId: run.connection_id,
      result: run.result,
      createdAt: run.created_at,
      endedAt: run.ended_at,
      error: run.error_key ? { errorKey: run.error_key, description: run.error_description } : null,
      tasks,
    };
  }
}

/**
 * Ends the active runs `which` selects as Cancelled, and says which ones it ended: only those, read
 * from the update itself, so a run a worker completed just before (with its own event) is not
 * reported as cancelled too.
 */
async function cancelActiveRuns(db: Db, column: 'connection_id' | 'imodel_id', value: string, endedAt: string): Promise<CancelledRun[]> {
  const rows = await db
    .updateTable('runs')
    .set({ state: 'Completed', result: 'Cancelled', ended_at: endedAt, lease_owner: null, lease_expires_ms: 0 })
    .where(column, '=', value)
    .where('state', '<>', 'Completed')
    .returning(['id', 'imodel_id', 'connection_id'])
    .execute();
  return rows.map((r) => ({ id: r.id, iModelId: r.imodel_id, connectionId: r.connection_id }));
}

/** Changes the run only if `owner` still holds it and it is active, else throws LeaseLost (rolling the transaction back). */
async function updateHeldRun(db: Db, id: string, owner: string, change: RunChange, compiled: boolean): Promise<void> {
  // PostgreSQL: one compiled (prepared) statement for every change. SQLite: only the columns that
  // change, since SQLite updates an index whenever a column it depends on is set, even to its own
  // value (the partial indexes on active runs depend on state).
  const updated = compiled
    ? await updateHeldRow(db, { id, owner, ...heldColumns(change, owner) })
    : await db
        .updateTable('runs')
        .set({ lease_owner: owner, ...runColumns(change) })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .where('state', '<>', COMPLETED)
        .returning('id')
        .execute();
  if (updated.length !== 1) throw new LeaseLost(id);
}

function runColumns(change: RunChange): Partial<RunRow> {
  const row: Partial<RunRow> = {};
  if (change.state !== undefined) row.state = change.state;
  if (change.result !== undefined) row.result = change.result;
  if (change.phase !== undefined) row.phase = change.phase;
  if (change.startedAt !== undefined) row.started_at = change.startedAt;
  if (change.endedAt !== undefined) row.ended_at = change.endedAt;
  if (change.error) {
    row.error_key = change.error.errorKey;
    row.error_description = change.error.description;
  }
  if (change.releaseLease) {
    row.lease_owner = null;
    row.lease_expires_ms = 0;
  }
  return row;
}

/**
 * A change of a held run as the parameters of one compiled update (see compileOnce): a column left
 * out of the change is null here, and keeps its value. Releasing the lease sets owner and expiry.
 */
function heldColumns(change: RunChange, owner: string) {
  return {
    state: change.state ?? null,
    result: change.result ?? null,
    phase: change.phase ?? null,
    startedAt: change.startedAt ?? null,
    endedAt: change.endedAt ?? null,
    errorKey: change.error?.errorKey ?? null,
    errorDescription: change.error?.description ?? null,
    leaseOwner: change.releaseLease ? null : owner,
    leaseExpiresMs: change.releaseLease ? 0 : null,
  };
}

type HeldParams = ReturnType<typeof heldColumns> & { id: string; owner: string };

/** `value`, or the column's own value when `value` is null. */
const orKept = <T>(value: T | null, column: keyof RunRow) => sql<T>`coalesce(${value}, ${sql.ref(column)})`;

/** Active runs are those not Completed: written into the SQL (not a parameter), so PostgreSQL's generic plans use the partial indexes on active runs. */
const COMPLETED = sql.lit('Completed');

/**
 * The held run's change (see heldColumns) if `p.owner` still holds it and it is active; returns its
 * id, or nothing. Alone (updateHeldRow), or as the `held` step that proves the lease for the
 * other writes of one statement (startPlannedIfHeld, endTaskIfHeld).
 */
function updateHeldQuery(q: QueryCreator<Database>, p: HeldParams) {
  return q
    .updateTable('runs')
    .set({
      state: orKept(p.state, 'state'),
      result: orKept(p.result, 'result'),
      phase: orKept(p.phase, 'phase'),
      started_at: orKept(p.startedAt, 'started_at'),
      ended_at: orKept(p.endedAt, 'ended_at'),
      error_key: orKept(p.errorKey, 'error_key'),
      error_description: orKept(p.errorDescription, 'error_description'),
      lease_owner: p.leaseOwner,
      lease_expires_ms: orKept(p.leaseExpiresMs, 'lease_expires_ms'),
    })
    .where('id', '=', p.id)
    .where('lease_owner', '=', p.owner)
    .where('state', '<>', COMPLETED)
    .returning('id');
}

const updateHeldRow = compileOnce((db, p: HeldParams) => updateHeldQuery(db, p));

type ClaimParams = { owner: string; nowMs: number; expiresMs: number };

/** The oldest active run whose lease is free or expired. */
function oldestClaimable(db: Db, p: ClaimParams) {
  return db
    .selectFrom('runs')
    .select('id')
    .where('state', '<>', COMPLETED)
    .where('lease_expires_ms', '<', p.nowMs)
    .orderBy('created_at')
    .orderBy('id')
    .limit(sql.lit(1));
}

/** Takes the lease of the run `pick` finds; the conditions again, so only a free lease is ever taken. */
function claimRun(db: Db, p: ClaimParams, pick: ReturnType<typeof oldestClaimable>) {
  return db
    .updateTable('runs')
    .set((eb) => ({ lease_owner: p.owner, lease_expires_ms: p.expiresMs, claims: eb('claims', '+', sql.lit(1)) }))
    .where('id', '=', pick)
    .where('state', '<>', COMPLETED)
    .where('lease_expires_ms', '<', p.nowMs)
    .returningAll();
}

// SQLite has one writer at a time: the look-up and the update cannot be raced.
const claimNextSerialized = compileOnce((db, p: ClaimParams) => claimRun(db, p, oldestClaimable(db, p)));

type StartParams = { runId: string; iModelId: string; owner: string; taskId: string; jobId: string; storageFileId: string; startedAt: string };

function startTaskQuery(db: Db, p: StartParams) {
  return db
    .updateTable('run_tasks')
    .set({ state: sql.lit('Executing'), started_at: p.startedAt })
    .where('id', '=', p.taskId);
}

function startJobQuery(db: Db, p: StartParams) {
  return db
    .updateTable('run_jobs')
    .set({ state: sql.lit('Executing'), started_at: sql<string>`coalesce(started_at, ${p.startedAt})` })
    .where('id', '=', p.jobId);
}

const startTaskRow = compileOnce(startTaskQuery);
const startJobRow = compileOnce(startJobQuery);

/** The columns contentFrom reads, from storage_files joined with its pending upload (see contentFrom). */
const CONTENT_COLUMNS = [
  'storage_files.content_version as contentVersion',
  'storage_files.content_hash as contentHash',
  'storage_files.size as contentSize',
  'storage_uploads.staged_name as stagedName',
  'storage_uploads.content_hash as stagedHash',
  'storage_uploads.size as stagedSize',
] as const;

/** A storage file's pending upload: content received on the upload URL of its next version, not completed yet. */
function pendingUpload(join: JoinBuilder<Database & { storage_uploads: Database['storage_uploads'] }, 'storage_files' | 'storage_uploads'>) {
  return join
    .onRef('storage_uploads.file_id', '=', 'storage_files.id')
    .on('storage_uploads.version', '=', sql<number>`storage_files.content_version + 1`)
    .on('storage_uploads.staged_name', 'is not', null)
    .on('storage_uploads.completed_at', 'is', null);
}

const contentRow = compileOnce((db, p: { storageFileId: string }) =>
  db.selectFrom('storage_files').leftJoin('storage_uploads', pendingUpload).select(CONTENT_COLUMNS).where('storage_files.id', '=', p.storageFileId),
);

/** What a task starts from (a transaction's reads, where one statement does not read it with the start). */
async function startOf(db: Db, p: { storageFileId: string; iModelId: string }): Promise<TaskStart> {
  const [content] = await contentRow(db, p);
  const [latest] = await latestChangeset(db, p);
  return taskStartFrom({ ...emptyContent, ...content, latestId: latest?.latestId ?? null, latestIndex: latest?.latestIndex ?? null });
}

/** The iModel's latest changeset: a statement of its own, or a lateral join of one that reads it with a write. */
function latestOf(q: Pick<QueryCreator<Database>, 'selectFrom'>, p: { iModelId: string }) {
  return q
    .selectFrom('changesets')
    .select(['id as latestId', 'changeset_index as latestIndex'])
    .where('imodel_id', '=', p.iModelId)
    .orderBy('changeset_index', 'desc')
    .limit(sql.lit(1));
}

const latestChangeset = compileOnce((db, p: { iModelId: string }) => latestOf(db, p));

// The run's no-op update proves the lease and locks its row until the statement commits; the
// task's and the job's updates happen only when it returned the run. The statement returns one row
// (the content of the task's file and the iModel's latest changeset, read in the same snapshot) or
// none when the lease is lost.
const startTaskIfHeld = compileOnce((db, p: StartParams) =>
  db
    .with('held', (q) =>
      q
        .updateTable('runs')
        .set({ lease_owner: p.owner })
        .where('id', '=', p.runId)
        .where('lease_owner', '=', p.owner)
        .where('state', '<>', COMPLETED)
        .returning('id'),
    )
    .with('task', (q) =>
      q
        .updateTable('run_tasks')
        .set({ state: sql.lit('Executing'), started_at: p.startedAt })
        .where('id', '=', p.taskId)
        .where((eb) => eb.exists(eb.selectFrom('held').select('held.id')))
        .returning('run_tasks.id'),
    )
    .with('job', (q) =>
      q
        .updateTable('run_jobs')
        .set({ state: sql.lit('Executing'), started_at: sql<string>`coalesce(started_at, ${p.startedAt})` })
        .where('id', '=', p.jobId)
        .where((eb) => eb.exists(eb.selectFrom('held').select('held.id')))
        .returning('run_jobs.id'),
    )
    .selectFrom('held')
    .leftJoin('storage_files', (join) => join.on('storage_files.id', '=', p.storageFileId))
    .leftJoin('storage_uploads', pendingUpload)
    .leftJoinLateral(latestOf(db, p).as('latest'), (join) => join.onTrue())
    .select(['held.id', ...CONTENT_COLUMNS, 'latest.latestId', 'latest.latestIndex']),
);

// What planning reads (compiled: planned on every run): the connection's source files, with their
// content now, and what its runs last synchronized of each.
/**
 * A connection's source files with their content, as planning reads them; `connectionId` a value,
 * or (in a statement that finds the connection itself) a reference to the column that holds it.
 */
function currentSourcesQuery(db: Kysely<Database>, p: { connectionId: string | ConnectionIdColumn }) {
  return db
    .selectFrom('source_files')
    .leftJoin('storage_files', 'storage_files.id', 'source_files.storage_file_id')
    .leftJoin('storage_uploads', pendingUpload)
    .select([
      'source_files.id as sourceFileId',
      'source_files.storage_file_id as storageFileId',
      'source_files.connector_type as connectorType',
      'storage_files.display_name as fileName',
      ...CONTENT_COLUMNS,
    ])
    .where('source_files.connection_id', '=', p.connectionId);
}

function syncedSourcesQuery(db: Kysely<Database>, p: { connectionId: string | ConnectionIdColumn }) {
  return db
    .selectFrom('synced_files')
    .select(['source_file_id', 'storage_file_id', 'file_name', 'connector_type', 'content_hash'])
    .where('connection_id', '=', p.connectionId);
}

type ConnectionIdColumn = RawBuilder<string>;

const currentSources = compileOnce((db, p: { connectionId: string }) =>
  currentSourcesQuery(db, p).orderBy('source_files.created_at').orderBy('source_files.ordinal').orderBy('source_files.id'),
);

const syncedSources = compileOnce((db, p: { connectionId: string }) => syncedSourcesQuery(db, p));

type CurrentRow = Awaited<ReturnType<typeof currentSources>>[number];
type SyncedRow = Awaited<ReturnType<typeof syncedSources>>[number];

/** The current and synced source files of planning as two JSON lists (PostgreSQL): json_agg keeps each row's column names as keys, numbers as numbers. */
function planningSources(db: Kysely<Database>, p: { connectionId: string | ConnectionIdColumn }) {
  return [
    // The source files keep their order by being aggregated in it.
    sql<unknown[]>`(select coalesce(json_agg(s order by s."position"), '[]'::json) from (${currentSourcesQuery(db, p).select(
      sql<number>`row_number() over (order by source_files.created_at, source_files.ordinal, source_files.id)`.as('position'),
    )}) s)`,
    sql<unknown[]>`(select coalesce(json_agg(y), '[]'::json) from (${syncedSourcesQuery(db, p)}) y)`,
  ] as const;
}

// The three reads of planning as one statement (PostgreSQL).
const planningRow = compileOnce((db, p: { connectionId: string }) => {
  const [current, synced] = planningSources(db, p);
  return db
    .selectFrom('storage_connections')
    .selectAll('storage_connections')
    .select([current.as('current'), synced.as('synced')])
    .where('storage_connections.id', '=', p.connectionId);
});

const WAITING_TO_EXECUTE = sql.lit(RunState.WaitingToExecute);

// PostgreSQL: the claim (workers racing for the oldest run each skip the rows another is taking),
// and, for a run still to be planned, planning's three reads of its connection, in one statement.
// The reads see the tables as they were when the statement began: as a planningOf just before the
// claim would. A run taken over later in its life (Executing, Finalizing) reads none of it.
const claimNextWithPlanning = compileOnce((db, p: ClaimParams) => {
  const connectionId = sql<string>`claimed.connection_id`;
  const [current, synced] = planningSources(db, { connectionId });
  const toPlan = sql`claimed.state = ${WAITING_TO_EXECUTE}`;
  return db
    .with('claimed', () => claimRun(db, p, oldestClaimable(db, p).forUpdate().skipLocked()))
    .selectFrom('claimed')
    .selectAll('claimed')
    .select([
      sql<unknown>`case when ${toPlan} then (select row_to_json(c) from storage_connections c where c.id = ${connectionId}) end`.as('planning_connection'),
      sql<unknown[] | null>`case when ${toPlan} then ${current} end`.as('planning_current'),
      sql<unknown[] | null>`case when ${toPlan} then ${synced} end`.as('planning_synced'),
    ]);
});

/** Planning's view of a connection's source files, from the rows of currentSources and syncedSources. */
function sourcesFrom(current: readonly CurrentRow[], synced: readonly SyncedRow[]): { current: CurrentSourceFile[]; synced: SyncedFile[] } {
  return {
    // A storage file deleted since leaves the left join's columns empty.
    current: current.map((f) => {
      const content = contentFrom(f);
      return {
        sourceFileId: f.sourceFileId,
        storageFileId: f.storageFileId,
        connectorType: f.connectorType,
        fileName: f.fileName ?? null,
        contentVersion: content?.version ?? null,
        contentHash: content?.hash ?? null,
        contentSize: content?.size ?? null,
      };
    }),
    synced: synced.map((s) => ({
      sourceFileId: s.source_file_id,
      storageFileId: s.storage_file_id,
      fileName: s.file_name,
      connectorType: s.connector_type,
      contentHash: s.content_hash,
    })),
  };
}

const emptyContent = { contentVersion: null, contentHash: null, contentSize: null, stagedName: null, stagedHash: null, stagedSize: null };

function taskStartFrom(row: Parameters<typeof contentFrom>[0] & { latestId: string | null; latestIndex: number | string | null }): TaskStart {
  return {
    content: contentFrom(row),
    latest: row.latestId === null || row.latestIndex === null ? undefined : { id: row.latestId, index: Number(row.latestIndex) },
  };
}

function syncedColumns(file: SyncedFile, runId: string, syncedAt: string) {
  return {
    storage_file_id: file.storageFileId,
    file_name: file.fileName,
    connector_type: file.connectorType,
    content_hash: file.contentHash,
    run_id: runId,
    synced_at: syncedAt,
  };
}

/**
 * TaskEnd as the parameters of one compiled statement: every part that is absent has its
 * parameters null (a different shape, compiled apart), and its write then matches no row.
 */
function endParams(end: TaskEnd) {
  const t = outcomeColumns(end.outcome);
  const c = end.changeset ? changesetRow(end.changeset) : undefined;
  return {
    ...heldColumns(end.run ?? {}, end.owner),
    id: end.runId,
    owner: end.owner,
    taskId: end.taskId,
    tState: t.state,
    tResult: t.result,
    tEndedAt: t.ended_at,
    tRetryAttempts: t.retry_attempts,
    tNextAttemptMs: t.next_attempt_ms,
    tError: t.error,
    tDetails: t.details,
    tReportId: t.report_id,
    jobId: end.job?.id ?? null,
    jobResult: end.job?.result ?? null,
    jobEndedAt: end.job?.endedAt ?? null,
    csImodelId: c?.imodel_id ?? null,
    csIndex: c?.changeset_index ?? null,
    csId: c?.id ?? null,
    csParentId: c?.parent_id ?? null,
    csDescription: c?.description ?? null,
    csCreatorId: c?.creator_id ?? null,
    csPushedAt: c?.pushed_at ?? null,
    csContainingChanges: c?.containing_changes ?? null,
    csApplicationId: c?.application_id ?? null,
    csApplicationName: c?.application_name ?? null,
    csTaskId: c?.task_id ?? null,
    csRunId: c?.run_id ?? null,
    csSourceFileId: c?.source_file_id ?? null,
    csAction: c?.action ?? null,
    csContentHash: c?.content_hash ?? null,
    csChangedFiles: c?.changed_files ?? null,
    csCheckpointSize: c?.checkpoint_size ?? null,
    csCheckpointPruned: c?.checkpoint_pruned ?? null,
    csElementChangesId: c?.element_changes_id ?? null,
    sConnectionId: end.synced?.connectionId ?? null,
    sSourceFileId: end.synced?.file.sourceFileId ?? null,
    sStorageFileId: end.synced?.file.storageFileId ?? null,
    sFileName: end.synced?.file.fileName ?? null,
    sConnectorType: end.synced?.file.connectorType ?? null,
    sContentHash: end.synced?.file.contentHash ?? null,
    sAt: end.synced?.at ?? null,
    fConnectionId: end.forgotten?.connectionId ?? null,
    fSourceFileId: end.forgotten?.sourceFileId ?? null,
  };
}

type EndParams = ReturnType<typeof endParams>;

// A task's end in one statement (PostgreSQL): the run's update (its change, or none) proves the
// lease and locks its row; every other write selects from it or requires it, so none happens when
// the lease is lost, and the statement then returns no row. Absent parts have null parameters and
// match no row (a null key equals nothing). Inserted values are cast: in INSERT ... SELECT,
// PostgreSQL would take an untyped parameter for text.
const endTaskIfHeld = compileOnce((db, p: EndParams) =>
  db
    // The lease, and the task's start: a start (or the plan that started it) is worker progress that
    // a crash of the database server may undo (docs/decisions.md, "worker progress"); an end must then
    // record nothing, and the run is taken up again from what the store holds.
    .with('held', (q) =>
      updateHeldQuery(q, p).where((eb) =>
        eb.exists(eb.selectFrom('run_tasks').select('run_tasks.id').where('run_tasks.id', '=', p.taskId).where('run_tasks.state', '=', sql.lit('Executing'))),
      ),
    )
    .with('changeset', (q) =>
      q
        .insertInto('changesets')
        .columns([
          'imodel_id',
          'changeset_index',
          'id',
          'parent_id',
          'description',
          'creator_id',
          'pushed_at',
          'containing_changes',
          'application_id',
          'application_name',
          'task_id',
          'run_id',
          'source_file_id',
          'action',
          'content_hash',
          'changed_files',
          'checkpoint_size',
          'checkpoint_pruned',
          'element_changes_id',
        ])
        .expression((eb) =>
          eb
            .selectFrom('held')
            .select([
              sql<string>`cast(${p.csImodelId} as text)`.as('imodel_id'),
              sql<number>`cast(${p.csIndex} as integer)`.as('changeset_index'),
              sql<string>`cast(${p.csId} as text)`.as('id'),
              sql<string>`cast(${p.csParentId} as text)`.as('parent_id'),
              sql<string>`cast(${p.csDescription} as text)`.as('description'),
              sql<string>`cast(${p.csCreatorId} as text)`.as('creator_id'),
              sql<string>`cast(${p.csPushedAt} as text)`.as('pushed_at'),
              sql<number>`cast(${p.csContainingChanges} as integer)`.as('containing_changes'),
              sql<string>`cast(${p.csApplicationId} as text)`.as('application_id'),
              sql<string>`cast(${p.csApplicationName} as text)`.as('application_name'),
              sql<string>`cast(${p.csTaskId} as text)`.as('task_id'),
              sql<string>`cast(${p.csRunId} as text)`.as('run_id'),
              sql<string>`cast(${p.csSourceFileId} as text)`.as('source_file_id'),
              sql<string>`cast(${p.csAction} as text)`.as('action'),
              sql<string | null>`cast(${p.csContentHash} as text)`.as('content_hash'),
              sql<string>`cast(${p.csChangedFiles} as text)`.as('changed_files'),
              sql<number | null>`cast(${p.csCheckpointSize} as bigint)`.as('checkpoint_size'),
              sql<number>`cast(${p.csCheckpointPruned} as integer)`.as('checkpoint_pruned'),
              sql<string | null>`cast(${p.csElementChangesId} as text)`.as('element_changes_id'),
            ])
            .where(sql<boolean>`cast(${p.csId} as text) is not null`),
        )
        .returning('changesets.id'),
    )
    .with('synced', (q) =>
      q
        .insertInto('synced_files')
        .columns(['connection_id', 'source_file_id', 'storage_file_id', 'file_name', 'connector_type', 'content_hash', 'run_id', 'synced_at'])
        .expression((eb) =>
          eb
            .selectFrom('held')
            .select([
              sql<string>`cast(${p.sConnectionId} as text)`.as('connection_id'),
              sql<string>`cast(${p.sSourceFileId} as text)`.as('source_file_id'),
              sql<string>`cast(${p.sStorageFileId} as text)`.as('storage_file_id'),
              sql<string>`cast(${p.sFileName} as text)`.as('file_name'),
              sql<string>`cast(${p.sConnectorType} as text)`.as('connector_type'),
              sql<string>`cast(${p.sContentHash} as text)`.as('content_hash'),
              sql<string>`cast(${p.id} as text)`.as('run_id'),
              sql<string>`cast(${p.sAt} as text)`.as('synced_at'),
            ])
            .where(sql<boolean>`cast(${p.sSourceFileId} as text) is not null`),
        )
        .onConflict((c) =>
          c.columns(['connection_id', 'source_file_id']).doUpdateSet((eb) => ({
            storage_file_id: eb.ref('excluded.storage_file_id'),
            file_name: eb.ref('excluded.file_name'),
            connector_type: eb.ref('excluded.connector_type'),
            content_hash: eb.ref('excluded.content_hash'),
            run_id: eb.ref('excluded.run_id'),
            synced_at: eb.ref('excluded.synced_at'),
          })),
        )
        .returning('synced_files.source_file_id'),
    )
    .with('forgotten', (q) =>
      q
        .deleteFrom('synced_files')
        .where('connection_id', '=', p.fConnectionId)
        .where('source_file_id', '=', p.fSourceFileId)
        .where((eb) => eb.exists(eb.selectFrom('held').select('held.id')))
        .returning('synced_files.source_file_id'),
    )
    .with('task', (q) =>
      q
        .updateTable('run_tasks')
        .set({
          state: p.tState,
          result: p.tResult,
          ended_at: p.tEndedAt,
          retry_attempts: p.tRetryAttempts,
          next_attempt_ms: p.tNextAttemptMs,
          error: p.tError,
          details: p.tDetails,
          report_id: p.tReportId,
        })
        .where('id', '=', p.taskId)
        .where((eb) => eb.exists(eb.selectFrom('held').select('held.id')))
        .returning('run_tasks.id'),
    )
    .with('job', (q) =>
      q
        .updateTable('run_jobs')
        .set({ state: sql.lit('Completed'), result: sql<string>`${p.jobResult}`, ended_at: p.jobEndedAt })
        .where('id', '=', p.jobId)
        .where((eb) => eb.exists(eb.selectFrom('held').select('held.id')))
        .returning('run_jobs.id'),
    )
    .selectFrom('held')
    .select('held.id'),
);

const taskSummaries = compileOnce((db, p: { runId: string }) =>
  db.selectFrom('run_tasks').select(['result', 'error', 'connector_type', 'file_name']).where('run_id', '=', p.runId).orderBy('position'),
);

/** Most tasks written by one statement: a statement has a limit on its parameters (SQLite's is the lowest). */
const TASKS_PER_STATEMENT = 200;

// Rows as one list per column: the shape compileOnce takes.
function jobColumns(jobs: readonly RunJob[]) {
  return {
    j_id: jobs.map((j) => j.id),
    j_run_id: jobs.map((j) => j.runId),
    j_connector_type: jobs.map((j) => j.connectorType),
    j_state: jobs.map((j) => j.state),
    j_result: jobs.map((j) => j.result),
    j_started_at: jobs.map((j) => j.startedAt),
    j_ended_at: jobs.map((j) => j.endedAt),
  };
}

function taskColumns(tasks: readonly RunTask[]) {
  return {
    t_id: tasks.map((t) => t.id),
    t_job_id: tasks.map((t) => t.jobId),
    t_run_id: tasks.map((t) => t.runId),
    t_position: tasks.map((t) => t.position),
    t_action: tasks.map((t) => t.action),
    t_source_file_id: tasks.map((t) => t.sourceFileId),
    t_storage_file_id: tasks.map((t) => t.storageFileId),
    t_file_name: tasks.map((t) => t.fileName),
    t_connector_type: tasks.map((t) => t.connectorType),
    t_content_version: tasks.map((t) => t.contentVersion),
    t_content_hash: tasks.map((t) => t.contentHash),
    t_content_size: tasks.map((t) => t.contentSize),
    t_state: tasks.map((t) => t.state),
    t_result: tasks.map((t) => t.result),
    t_retry_attempts: tasks.map((t) => t.retryAttempts),
    t_next_attempt_ms: tasks.map((t) => t.nextAttemptMs),
    t_started_at: tasks.map((t) => t.startedAt),
    t_ended_at: tasks.map((t) => t.endedAt),
  };
}

type JobsWithTasks = ReturnType<typeof jobColumns> & ReturnType<typeof taskColumns>;

/** `(values (…), (…)) as v(columns)`: one row per index of the lists, each value a parameter of its own; `casts` types the non-text columns (PostgreSQL takes an untyped parameter in VALUES for text). */
function valuesOf(alias: string, columns: Record<string, readonly (string | number | null)[]>, casts: Record<string, string>, rows: number) {
  const names = Object.keys(columns);
  const row = (i: number) => sql`(${sql.join(names.map((n) => (casts[n] ? sql`cast(${columns[n]![i]} as ${sql.raw(casts[n])})` : sql`${columns[n]![i]}`)))})`;
  const list = sql.join(Array.from({ length: rows }, (_, i) => row(i)));
  return sql`(values ${list}) as ${sql.ref(alias)}(${sql.join(names.map((n) => sql.ref(n)))})`;
}

// A planned run's start on PostgreSQL, in one statement: the run's update proves the lease and locks
// its row; its jobs and tasks are inserted from a join with it, so none is written when it matched
// nothing. The tasks' foreign key to their job is checked at the end of the statement, after both
// inserts. Returns the tasks inserted.
const startPlannedIfHeld = compileOnce((db, p: HeldParams & JobsWithTasks & { iModelId: string; storageFileId: string }) =>
  db
    .with('held', (q) => updateHeldQuery(q, p))
    .with('job', (q) =>
      q
        .insertInto('run_jobs')
        .columns(['id', 'run_id', 'connector_type', 'state', 'result', 'started_at', 'ended_at'])
        .expression(
          sql`select v.* from held cross join ${valuesOf(
            'v',
            {
              id: p.j_id,
              run_id: p.j_run_id,
              connector_type: p.j_connector_type,
              state: p.j_state,
              result: p.j_result,
              started_at: p.j_started_at,
              ended_at: p.j_ended_at,
            },
            {},
            p.j_id.length,
          )}`,
        )
        .returning('run_jobs.id'),
    )
    .with('task', (q) =>
      q
        .insertInto('run_tasks')
        .columns([
          'id',
          'job_id',
          'run_id',
          'position',
          'action',
          'source_file_id',
          'storage_file_id',
          'file_name',
          'connector_type',
          'content_version',
          'content_hash',
          'content_size',
          'state',
          'result',
          'retry_attempts',
          'next_attempt_ms',
          'started_at',
          'ended_at',
        ])
        .expression(
          sql`select v.* from held cross join ${valuesOf(
            'v',
            {
              id: p.t_id,
              job_id: p.t_job_id,
              run_id: p.t_run_id,
              position: p.t_position,
              action: p.t_action,
              source_file_id: p.t_source_file_id,
              storage_file_id: p.t_storage_file_id,
              file_name: p.t_file_name,
              connector_type: p.t_connector_type,
              content_version: p.t_content_version,
              content_hash: p.t_content_hash,
              content_size: p.t_content_size,
              state: p.t_state,
              result: p.t_result,
              retry_attempts: p.t_retry_attempts,
              next_attempt_ms: p.t_next_attempt_ms,
              started_at: p.t_started_at,
              ended_at: p.t_ended_at,
            },
            { position: 'integer', content_version: 'integer', content_size: 'bigint', retry_attempts: 'integer', next_attempt_ms: 'bigint' },
            p.t_id.length,
          )}`,
        )
        .returning('run_tasks.id'),
    )
    .selectFrom('held')
    .leftJoin('storage_files', (join) => join.on('storage_files.id', '=', p.storageFileId))
    .leftJoin('storage_uploads', pendingUpload)
    .leftJoinLateral(latestOf(db, p).as('latest'), (join) => join.onTrue())
    .select((eb) => [
      'held.id',
      ...CONTENT_COLUMNS,
      'latest.latestId',
      'latest.latestIndex',
      eb.selectFrom('task').select(eb.fn.countAll().as('n')).as('inserted'),
    ]),
);

function newRunRow(run: NewRun): RunRow {
  return {
    id: run.id,
    connection_id: run.connectionId,
    imodel_id: run.iModelId,
    requested_by: run.requestedBy,
    state: run.state,
    result: run.result,
    phase: null,
    error_key: null,
    error_description: null,
    created_at: run.createdAt,
    started_at: null,
    ended_at: null,
    deadline_ms: run.deadlineMs,
    // A free lease: any worker may claim it.
    lease_owner: null,
    lease_expires_ms: 0,
    claims: 0,
  };
}

function outcomeColumns(o: TaskOutcome) {
  return {
    state: o.state,
    result: o.result,
    ended_at: o.endedAt,
    retry_attempts: o.retryAttempts,
    next_attempt_ms: o.nextAttemptMs,
    error: o.error === null ? null : JSON.stringify(o.error),
    details: o.details === null ? null : JSON.stringify(o.details),
    // Diagnostic reports: recorded by the statement that ends the task (no round trip of its own).
    report_id: o.reportId,
  };
}

function queuedFromRow(row: RunRow): QueuedRun {
  return {
    id: row.id,
    connectionId: row.connection_id,
    iModelId: row.imodel_id,
    requestedBy: row.requested_by,
    state: row.state,
    createdAt: row.created_at,
    deadlineMs: Number(row.deadline_ms),
    leaseOwner: row.lease_owner,
    leaseExpiresMs: Number(row.lease_expires_ms),
  };
}

function jobRow(job: RunJob): RunJobRow {
  return {
    id: job.id,
    run_id: job.runId,
    connector_type: job.connectorType,
    state: job.state,
    result: job.result,
    started_at: job.startedAt,
    ended_at: job.endedAt,
  };
}

function taskRow(task: RunTask): RunTaskRow {
  return {
    id: task.id,
    job_id: task.jobId,
    run_id: task.runId,
    position: task.position,
    action: task.action,
    source_file_id: task.sourceFileId,
    storage_file_id: task.storageFileId,
    file_name: task.fileName,
    connector_type: task.connectorType,
    content_version: task.contentVersion,
    content_hash: task.contentHash,
    content_size: task.contentSize,
    state: task.state,
    result: task.result,
    retry_attempts: task.retryAttempts,
    next_attempt_ms: task.nextAttemptMs,
    started_at: task.startedAt,
    ended_at: task.endedAt,
    error: null,
    details: null,
    report_id: null,
  };
}

function runTaskFromRow(row: RunTaskRow): RunTask {
  return {
    id: row.id,
    jobId: row.job_id,
    runId: row.run_id,
    position: row.position,
    action: row.action as TaskAction,
    sourceFileId: row.source_file_id,
    storageFileId: row.storage_file_id,
    fileName: row.file_name,
    connectorType: row.connector_type,
    contentVersion: row.content_version,
    contentHash: row.content_hash,
    contentSize: row.content_size,
    state: row.state,
    result: row.result,
    retryAttempts: row.retry_attempts,
    nextAttemptMs: Number(row.next_attempt_ms),
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}

const json = (text: string | null) => (text === null ? null : (JSON.parse(text) as Record<string, unknown>));

/** A stored task error as the end-of-run log reads it: parsed, or its text if it is not JSON. */
function jsonOrText(text: string): Record<string, unknown> | string {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return text;
  }
}

function runFromRow(run: RunRow, jobs: Job[]): Run {
  return {
    id: run.id,
    connectionId: run.connection_id,
    startDateTime: run.created_at,
    endDateTime: run.ended_at,
    phase: run.phase,
    state: run.state,
    result: run.result,
    error: run.error_key ? { errorKey: run.error_key, description: run.error_description ?? '' } : null,
    jobs,
  };
}

/** The job with its tasks, in execution order. */
function jobFromRows(job: RunJobRow, tasks: readonly RunTaskRow[]): Job {
  return {
    id: job.id,
    connectorType: job.connector_type,
    state: job.state,
    result: job.result,
    startDateTime: job.started_at,
    endDateTime: job.ended_at,
    tasks: [...tasks]
      .sort((a, b) => a.position - b.position)
      .map((t) => ({
        id: t.id,
        storageFileId: t.storage_file_id,
        sourceFileId: t.source_file_id,
        state: t.state,
        result: t.result,
        retryAttempts: t.retry_attempts,
        startDateTime: t.started_at,
        endDateTime: t.ended_at,
        error: json(t.error),
        details: json(t.details),
      })),
  };
}

/**
 * What a file holds now: its pending upload (content received on the upload URL of its next
 * version, not completed yet) when there is one, else its current version. As in the cloud, the
 * content PUT on an upload URL is the file's blob from the moment it arrived (docs/decisions.md,
 * "What a run synchronizes"); `complete` only brings the metadata up to date. A file never
 * completed has no current version, so the join (`content_version + 1`) matches nothing: it stays
 * invisible.
 */
function contentFrom(row: {
  contentVersion: number | null;
  contentHash: string | null;
  contentSize: number | null;
  stagedName: string | null;
  stagedHash: string | null;
  stagedSize: number | null;
}): StoredContent | undefined {
  if (row.contentVersion === null || row.contentHash === null) return undefined;
  if (row.stagedName !== null && row.stagedHash !== null && row.stagedSize !== null) {
    return { version: row.contentVersion + 1, hash: row.stagedHash, size: Number(row.stagedSize), stagedName: row.stagedName };
  }
  return { version: row.contentVersion, hash: row.contentHash, size: Number(row.contentSize ?? 0), stagedName: null };
}
