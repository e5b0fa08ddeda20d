import fs from 'node:fs';
import path from 'node:path';
import { sql, type Transaction } from 'kysely';
import { ConnectorFailure, type ConnectorOutcome, type TaskError } from '../connectors/connector.js';
import type { ConnectorType } from '../domain/connector-types.js';
import { RunResult, RunState, combinedResult } from '../domain/runs/model.js';
import { blobPath } from '../domain/storage/blobs.js';
import { assertLease } from '../store/repositories/run-queue.js';
import type { Database } from '../store/schema.js';
import type { RunRow, RunTaskRow } from '../store/schema-runs.js';
import type { WorkerContext } from './context.js';

/**
 * One attempt of one task: mark it Executing, call its connector outside any transaction, then
 * record the outcome in one transaction that holds only while our lease does. A success applies the
 * task's effect (one imodel_changes row, keyed by task id, and the source file's synchronized
 * state) with the task's completion, so a worker that dies before that commit leaves the task to be
 * executed again, and one that commits cannot have its effect applied a second time.
 */
export async function executeTask(ctx: WorkerContext, run: RunRow, task: RunTaskRow, signal: AbortSignal): Promise<void> {
  const startedAt = new Date(ctx.now()).toISOString();
  await ctx.store.writeSql(async (trx) => {
    await assertLease(trx, run.id, ctx.owner);
    await trx.updateTable('run_tasks').set({ state: RunState.Executing, started_at: task.started_at ?? startedAt }).where('id', '=', task.id).execute();
    await trx
      .updateTable('run_jobs')
      .set({ state: RunState.Executing, started_at: sql<string>`coalesce(started_at, ${startedAt})` })
      .where('id', '=', task.job_id)
      .execute();
  });

  let outcome: ConnectorOutcome | undefined;
  let failure: ConnectorFailure | undefined;
  const callStarted = performance.now();
  try {
    outcome = await callConnector(ctx, run, task, signal);
  } catch (error) {
    if (signal.aborted) throw error; // time-out, cancellation or shutdown: the caller decides
    failure = error instanceof ConnectorFailure ? error : crashed(error);
  }
  const callMs = performance.now() - callStarted;

  await ctx.store.writeSql(async (trx) => {
    await assertLease(trx, run.id, ctx.owner);
    const endedAt = new Date(ctx.now()).toISOString();
    if (outcome) await succeed(trx, run, task, outcome, endedAt);
    else await fail(ctx, trx, task, failure!, endedAt);
    await completeJobIfDone(trx, task.job_id, endedAt);
  });

  // After the commit: what is logged and counted is what the store holds.
  const retry = failure !== undefined && willRetry(ctx, task, failure);
  ctx.metrics?.taskDone(task.connector_type, outcome ? 'Success' : retry ? 'Retry' : 'Error', callMs / 1000);
  if (failure) {
    const line = {
      runId: run.id,
      taskId: task.id,
      connectorType: task.connector_type,
      fileName: task.file_name,
      attempt: task.retry_attempts + 1,
      ms: Math.round(callMs),
      errorCode: failure.taskError.errorCode,
      message: failure.taskError.message,
      details: failure.taskError.details?.slice(0, 500),
    };
    if (retry) ctx.log.warn({ ...line, retryInMs: backoffMs(ctx, task) }, 'task failed; retrying');
    else ctx.log.warn(line, 'task failed');
  }
}

/** A failed attempt is retried when its connector says it may be and retries are left. */
function willRetry(ctx: WorkerContext, task: RunTaskRow, failure: ConnectorFailure): boolean {
  return failure.retryable && task.retry_attempts < ctx.settings.maxRetries;
}

/** Wait before the next attempt: doubled for each retry already made. */
function backoffMs(ctx: WorkerContext, task: RunTaskRow): number {
  return ctx.settings.retryBackoffMs * 2 ** task.retry_attempts;
}

async function callConnector(ctx: WorkerContext, run: RunRow, task: RunTaskRow, signal: AbortSignal): Promise<ConnectorOutcome> {
  const outputDir = path.join(ctx.dataDir, 'work', run.id, task.id);
  // A retried or taken-over task may have left output behind; a first attempt finds nothing.
  if (task.retry_attempts > 0 || task.state !== RunState.NotStarted) await fs.promises.rm(outputDir, { recursive: true, force: true });
  await fs.promises.mkdir(outputDir, { recursive: true });
  const connector = ctx.connectors(task.connector_type as ConnectorType);
  return connector.run({
    action: task.action,
    connectorType: task.connector_type as ConnectorType,
    iModelId: run.imodel_id,
    sourceFileId: task.source_file_id,
    storageFileId: task.storage_file_id,
    fileName: task.file_name,
    filePath: task.action === 'sync' && task.content_version ? blobPath(ctx.dataDir, task.storage_file_id, task.content_version) : null,
    size: task.content_size ?? 0,
    contentHash: task.content_hash,
    outputDir,
    attempt: task.retry_attempts,
    signal,
  });
}

async function succeed(trx: Transaction<Database>, run: RunRow, task: RunTaskRow, outcome: ConnectorOutcome, endedAt: string): Promise<void> {
  await trx
    .insertInto('imodel_changes')
    .values({
      task_id: task.id,
      imodel_id: run.imodel_id,
      run_id: run.id,
      source_file_id: task.source_file_id,
      action: task.action,
      content_hash: task.content_hash,
      summary: outcome.summary ?? null,
      applied_at: endedAt,
    })
    .execute();
  if (task.action === 'sync') {
    const synced = {
      storage_file_id: task.storage_file_id,
      file_name: task.file_name,
      connector_type: task.connector_type,
      content_hash: task.content_hash ?? '',
      run_id: run.id,
      synced_at: endedAt,
    };
    await trx
      .insertInto('synced_files')
      .values({ connection_id: run.connection_id, source_file_id: task.source_file_id, ...synced })
      .onConflict((c) => c.columns(['connection_id', 'source_file_id']).doUpdateSet(synced))
      .execute();
  } else {
    await trx.deleteFrom('synced_files').where('connection_id', '=', run.connection_id).where('source_file_id', '=', task.source_file_id).execute();
  }
  await trx
    .updateTable('run_tasks')
    .set({
      state: RunState.Completed,
      result: RunResult.Success,
      ended_at: endedAt,
      error: null,
      details: JSON.stringify({ ...outcome.details, synchronizationReport: outcome.report }),
    })
    .where('id', '=', task.id)
    .execute();
}

async function fail(ctx: WorkerContext, trx: Transaction<Database>, task: RunTaskRow, failure: ConnectorFailure, endedAt: string): Promise<void> {
  const error = JSON.stringify(failure.taskError);
  if (willRetry(ctx, task, failure)) {
    const backoff = backoffMs(ctx, task);
    await trx
      .updateTable('run_tasks')
      .set({ state: RunState.WaitingToRetry, retry_attempts: task.retry_attempts + 1, next_attempt_ms: ctx.now() + backoff, error })
      .where('id', '=', task.id)
      .execute();
    return;
  }
  await trx
    .updateTable('run_tasks')
    .set({ state: RunState.Completed, result: RunResult.Error, ended_at: endedAt, error })
    .where('id', '=', task.id)
    .execute();
}

/** A job completes with its last task; its result combines its tasks'. */
export async function completeJobIfDone(trx: Transaction<Database>, jobId: string, endedAt: string): Promise<void> {
  const tasks = await trx.selectFrom('run_tasks').select(['state', 'result']).where('job_id', '=', jobId).execute();
  if (tasks.some((t) => t.state !== RunState.Completed)) return;
  await trx
    .updateTable('run_jobs')
    .set({ state: RunState.Completed, result: combinedResult(tasks.map((t) => t.result)), ended_at: endedAt })
    .where('id', '=', jobId)
    .execute();
}

/** A connector that threw something else than a ConnectorFailure is a bug or a crash: retry it. */
function crashed(error: unknown): ConnectorFailure {
  const message = error instanceof Error ? error.message : String(error);
  const taskError: TaskError = {
    errorCode: 'TWINSYNC_CONNECTOR_CRASHED',
    message: 'The connector failed unexpectedly.',
    details: message.slice(0, 2000),
    system: 'twinsync',
    phase: 'internal_server_error',
    category: 'other',
    descriptionKey: 'ConnectorCrashed',
    description: 'The connector failed unexpectedly.',
    kbArticleLink: '',
    canUserFix: false,
  };
  return new ConnectorFailure(taskError, true);
}
