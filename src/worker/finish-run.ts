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
  await ctx.store.write((trx) => updateOwnedRun(trx, run.id, ctx.owner, { state: RunState.Finalizing }));
  await fs.promises.rm(path.join(ctx.dataDir, 'work', run.id), { recursive: true, force: true });
  await ctx.store.write(async (trx) => {
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
}

/** Past its deadline: unfinished tasks and jobs end TimedOut, and so does the run. */
export async function timeOutRun(ctx: WorkerContext, run: RunRow): Promise<void> {
  await ctx.store.write(async (trx) => {
    const endedAt = new Date(ctx.now()).toISOString();
    const timedOut = { state: RunState.Completed, result: RunResult.TimedOut, ended_at: endedAt };
    await trx.updateTable('run_tasks').set(timedOut).where('run_id', '=', run.id).where('state', '<>', RunState.Completed).execute();
    await trx.updateTable('run_jobs').set(timedOut).where('run_id', '=', run.id).where('state', '<>', RunState.Completed).execute();
    await updateOwnedRun(trx, run.id, ctx.owner, { ...timedOut, lease_owner: null, lease_expires_ms: 0 });
  });
  await fs.promises.rm(path.join(ctx.dataDir, 'work', run.id), { recursive: true, force: true });
}
