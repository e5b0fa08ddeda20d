import type { Transaction } from 'kysely';
import { RunResult, RunState } from '../domain/runs/model.js';
import { newGuid } from '../domain/ids.js';
import { hasConsented } from '../store/repositories/consents.js';
import { updateOwnedRun } from '../store/repositories/run-queue.js';
import type { Database } from '../store/schema.js';
import type { RunJobRow, RunRow, RunTaskRow } from '../store/schema-runs.js';

interface PlannedTask {
  action: 'sync' | 'remove';
  sourceFileId: string;
  storageFileId: string;
  fileName: string;
  connectorType: string;
  contentVersion: number | null;
  contentHash: string | null;
  contentSize: number | null;
}

/**
 * Turns a queued run into jobs and tasks: one task per source file that is new or whose content,
 * storage file or connector changed since it was last synchronized successfully, one `remove` task
 * per source file deleted since, one job per connector type. Nothing to do: the run completes with
 * Success and no jobs. A `User` connection whose owner never consented ends at once with
 * UserNotAuthenticated. The run's own update at the end proves the lease (else all rolls back).
 */
export async function planRun(trx: Transaction<Database>, run: RunRow, owner: string, now: string): Promise<'planned' | 'completed'> {
  const connection = await trx.selectFrom('storage_connections').selectAll().where('id', '=', run.connection_id).executeTakeFirstOrThrow();
  if (connection.authentication_type === 'User' && !(await hasConsented(trx, connection.created_by))) {
    await complete(trx, run.id, owner, now, RunResult.Error, {
      error_key: 'UserNotAuthenticated',
      error_description: 'User is not authenticated.',
    });
    return 'completed';
  }

  const tasks = await changedFiles(trx, run.connection_id);
  if (tasks.length === 0) {
    await complete(trx, run.id, owner, now, RunResult.Success, {});
    return 'completed';
  }

  const byType = new Map<string, PlannedTask[]>();
  for (const task of tasks) byType.set(task.connectorType, [...(byType.get(task.connectorType) ?? []), task]);
  const jobs: RunJobRow[] = [];
  const taskRows: RunTaskRow[] = [];
  for (const [connectorType, planned] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    const job: RunJobRow = { id: newGuid(), run_id: run.id, connector_type: connectorType, state: RunState.NotStarted, result: RunResult.Undetermined, started_at: null, ended_at: null };
    jobs.push(job);
    for (const task of planned) {
      taskRows.push({
        id: newGuid(),
        job_id: job.id,
        run_id: run.id,
        position: taskRows.length,
        action: task.action,
        source_file_id: task.sourceFileId,
        storage_file_id: task.storageFileId,
        file_name: task.fileName,
        connector_type: connectorType,
        content_version: task.contentVersion,
        content_hash: task.contentHash,
        content_size: task.contentSize,
        state: RunState.NotStarted,
        result: RunResult.Undetermined,
        retry_attempts: 0,
        next_attempt_ms: 0,
        started_at: null,
        ended_at: null,
        error: null,
        details: null,
      });
    }
  }
  await trx.insertInto('run_jobs').values(jobs).execute();
  for (let i = 0; i < taskRows.length; i += 200) await trx.insertInto('run_tasks').values(taskRows.slice(i, i + 200)).execute();
  await updateOwnedRun(trx, run.id, owner, { state: RunState.Executing, phase: 'MasterFile', started_at: now });
  return 'planned';
}

async function changedFiles(trx: Transaction<Database>, connectionId: string): Promise<PlannedTask[]> {
  const current = await trx
    .selectFrom('source_files')
    .leftJoin('storage_files', 'storage_files.id', 'source_files.storage_file_id')
    .select([
      'source_files.id as sourceFileId',
      'source_files.storage_file_id as storageFileId',
      'source_files.connector_type as connectorType',
      'storage_files.content_version as contentVersion',
      'storage_files.content_hash as contentHash',
      'storage_files.size as contentSize',
      'storage_files.display_name as fileName',
    ])
    .where('source_files.connection_id', '=', connectionId)
    .orderBy('source_files.created_at')
    .orderBy('source_files.ordinal')
    .orderBy('source_files.id')
    .execute();
  const synced = new Map(
    (await trx.selectFrom('synced_files').selectAll().where('connection_id', '=', connectionId).execute()).map((s) => [s.source_file_id, s]),
  );
  const tasks: PlannedTask[] = [];
  for (const file of current) {
    const last = synced.get(file.sourceFileId);
    synced.delete(file.sourceFileId);
    const unchanged =
      last !== undefined &&
      file.contentHash !== null &&
      last.content_hash === file.contentHash &&
      last.storage_file_id === file.storageFileId &&
      last.connector_type === file.connectorType;
    if (!unchanged) {
      tasks.push({
        action: 'sync',
        ...file,
        fileName: file.fileName ?? file.storageFileId,
        contentVersion: file.contentVersion ?? null,
        contentHash: file.contentHash ?? null,
        contentSize: file.contentSize ?? null,
      });
    }
  }
  // What is left was synchronized once and is no longer a source file: take its content out.
  for (const gone of synced.values()) {
    tasks.push({
      action: 'remove',
      sourceFileId: gone.source_file_id,
      storageFileId: gone.storage_file_id,
      fileName: gone.file_name,
      connectorType: gone.connector_type,
      contentVersion: null,
      contentHash: gone.content_hash,
      contentSize: null,
    });
  }
  return tasks;
}

async function complete(
  trx: Transaction<Database>,
  runId: string,
  owner: string,
  now: string,
  result: string,
  error: Partial<Pick<RunRow, 'error_key' | 'error_description'>>,
): Promise<void> {
  await updateOwnedRun(trx, runId, owner, { state: RunState.Completed, result, started_at: now, ended_at: now, lease_owner: null, lease_expires_ms: 0, ...error });
}
