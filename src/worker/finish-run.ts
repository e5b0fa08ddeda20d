import fs from 'node:fs';
import path from 'node:path';
import { RunResult, RunState, combinedResult } from '../domain/runs/model.js';
import { updateOwnedRun } from '../store/repositories/run-queue.js';
import type { RunRow } from '../store/schema-runs.js';
import type { WorkerContext } from './context.js';

/**
 * Every task is Completed: the run goes through Finalizing (its work folder is removed) to
 * Completed, with a result combined from its tasks.
 */
export async function finalizeRun(ctx: WorkerContext, run: RunRow): Promise<void> {
  await ctx.store.writeSql((trx) => updateOwnedRun(trx, run.id, ctx.owner, { state: RunState.Finalizing }));
  await fs.promises.rm(path.join(ctx.dataDir, 'work', run.id), { recursive: true, force: true });
  await ctx.store.writeSql(async (trx) => {
    const endedAt = new Date(ctx.now()).toISOString();
    const tasks = await trx.selectFrom('run_tasks').select('result').where('run_id', '=', run.id).execute();
    await updateOwnedRun(trx, run.id, ctx.owner, {
      state: RunState.Completed,
      result: combinedResult(tasks.map((t) => t.result)),
      ended_at: endedAt,
      lease_owner: null,
      lease_expires_ms: 0,
    });
  });
  await logRunEnd(ctx, run.id);
}

/** Past its deadline: unfinished tasks and jobs end TimedOut, and so does the run. */
export async function timeOutRun(ctx: WorkerContext, run: RunRow): Promise<void> {
  await ctx.store.writeSql(async (trx) => {
    const endedAt = new Date(ctx.now()).toISOString();
    const timedOut = { state: RunState.Completed, result: RunResult.TimedOut, ended_at: endedAt };
    await trx.updateTable('run_tasks').set(timedOut).where('run_id', '=', run.id).where('state', '<>', RunState.Completed).execute();
    await trx.updateTable('run_jobs').set(timedOut).where('run_id', '=', run.id).where('state', '<>', RunState.Completed).execute();
    await updateOwnedRun(trx, run.id, ctx.owner, { ...timedOut, lease_owner: null, lease_expires_ms: 0 });
  });
  await fs.promises.rm(path.join(ctx.dataDir, 'work', run.id), { recursive: true, force: true });
  await logRunEnd(ctx, run.id);
}

/**
 * One line per run that ended, with what an operator needs to start looking: its result, how long
 * it took from request to end, its tasks by result, and the first task error (or the run's own).
 * `info` when it succeeded, `warn` otherwise. Read back after the final commit, so the line says
 * what clients see; a failed read costs the line, never the run.
 */
export async function logRunEnd(ctx: WorkerContext, runId: string): Promise<void> {
  try {
    const run = await ctx.store.db
      .selectFrom('runs')
      .select(['id', 'connection_id', 'result', 'created_at', 'ended_at', 'error_key', 'error_description'])
      .where('id', '=', runId)
      .executeTakeFirst();
    if (!run) return;
    const tasks = await ctx.store.db.selectFrom('run_tasks').select(['result', 'error', 'connector_type', 'file_name']).where('run_id', '=', runId).orderBy('position').execute();
    const taskCounts: Record<string, number> = { total: tasks.length };
    for (const t of tasks) taskCounts[t.result] = (taskCounts[t.result] ?? 0) + 1;
    const failed = tasks.find((t) => t.error !== null && t.result !== RunResult.Success);
    const firstError = failed
      ? { ...taskErrorSummary(failed.error!), connectorType: failed.connector_type, fileName: failed.file_name }
      : run.error_key
        ? { errorCode: run.error_key, message: run.error_description }
        : undefined;
    const line = {
      runId,
      connectionId: run.connection_id,
      result: run.result,
      durationMs: run.ended_at ? Date.parse(run.ended_at) - Date.parse(run.created_at) : undefined,
      tasks: taskCounts,
      ...(firstError ? { firstError } : {}),
    };
    if (run.result === RunResult.Success) ctx.log.info(line, 'run ended');
    else ctx.log.warn(line, 'run ended');
  } catch (error) {
    ctx.log.warn({ err: error, runId }, 'run ended; its summary could not be read');
  }
}

function taskErrorSummary(error: string): { errorCode?: string; message?: string } {
  try {
    const parsed = JSON.parse(error) as { errorCode?: string; message?: string };
    return { errorCode: parsed.errorCode, message: parsed.message };
  } catch {
    return { message: error.slice(0, 200) };
  }
}
