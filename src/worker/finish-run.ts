import fs from 'node:fs';
import { RunResult, RunState, type QueuedRun, type RunSummary } from '../domain/runs/model.js';
import type { RunProgress } from './run-progress.js';
import type { WorkerContext } from './context.js';
import { jobCompleted } from '../domain/webhooks/events.js';
import { withEvent } from './with-event.js';
import { runWorkDir } from './work-dir.js';

/**
 * Every task is Completed: the run goes through Finalizing (its work folder is removed) to
 * Completed, with a result combined from its tasks. `finalizing`: the last task's end already
 * moved it there. The tasks are the worker's own view (RunProgress), which is the store's while
 * the lease holds; the update to Completed proves the lease, and commits alone.
 */
export async function finalizeRun(ctx: WorkerContext, run: QueuedRun, progress: RunProgress, finalizing: boolean): Promise<void> {
  if (!finalizing) await ctx.store.runs.updateHeld(run.id, ctx.owner, { state: RunState.Finalizing });
  await fs.promises.rm(runWorkDir(ctx, run), { recursive: true, force: true });
  const endedAt = new Date(ctx.now()).toISOString();
  const result = progress.result;
  // Webhooks: the event commits with the run's end (alone as before while nobody subscribes).
  await withEvent(ctx, jobCompleted(run, result, endedAt), (repos) =>
    repos.runs.updateHeld(run.id, ctx.owner, { state: RunState.Completed, result, endedAt, releaseLease: true }),
  );
  logRunCompleted(ctx, run, progress, endedAt);
}

/**
 * The end-of-run line of a run whose tasks all ran, from the worker's own view of them (what its
 * commits wrote): after finalizing, or after the last task's end completed the run.
 */
export function logRunCompleted(ctx: WorkerContext, run: QueuedRun, progress: RunProgress, endedAt: string): void {
  // A run that reached its tasks has no error of its own (only planning ends a run with one).
  logSummary(ctx, {
    id: run.id,
    connectionId: run.connectionId,
    result: progress.result,
    createdAt: run.createdAt,
    endedAt,
    error: null,
    tasks: progress.summaries(),
  });
}

/** Past its deadline: unfinished tasks and jobs end TimedOut, and so does the run. */
export async function timeOutRun(ctx: WorkerContext, run: QueuedRun): Promise<void> {
  await ctx.store.write(async (tx) => {
    const endedAt = new Date(ctx.now()).toISOString();
    await tx.runs.endUnfinished(run.id, RunResult.TimedOut, endedAt);
    await tx.runs.updateHeld(run.id, ctx.owner, { state: RunState.Completed, result: RunResult.TimedOut, endedAt, releaseLease: true });
    await tx.webhooks.record(jobCompleted(run, RunResult.TimedOut, endedAt), ctx.now());
  });
  await fs.promises.rm(runWorkDir(ctx, run), { recursive: true, force: true });
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
    const run = await ctx.store.runs.summaryOf(runId);
    if (run) logSummary(ctx, run);
  } catch (error) {
    ctx.log.warn({ err: error, runId }, 'run ended; its summary could not be read');
  }
}

/** The end-of-run line of `run` (see logRunEnd), from what its final transaction read and wrote. */
function logSummary(ctx: WorkerContext, run: RunSummary): void {
  const taskCounts: Record<string, number> = { total: run.tasks.length };
  for (const t of run.tasks) taskCounts[t.result] = (taskCounts[t.result] ?? 0) + 1;
  const failed = run.tasks.find((t) => t.error !== null && t.result !== RunResult.Success);
  const firstError = failed
    ? { ...taskErrorSummary(failed.error!), connectorType: failed.connectorType, fileName: failed.fileName }
    : run.error
      ? { errorCode: run.error.errorKey, message: run.error.description }
      : undefined;
  const line = {
    runId: run.id,
    connectionId: run.connectionId,
    result: run.result,
    durationMs: run.endedAt ? Date.parse(run.endedAt) - Date.parse(run.createdAt) : undefined,
    tasks: taskCounts,
    ...(firstError ? { firstError } : {}),
  };
  if (run.result === RunResult.Success) ctx.log.info(line, 'run ended');
  else ctx.log.warn(line, 'run ended');
}

function taskErrorSummary(error: Record<string, unknown> | string): { errorCode?: string; message?: string } {
  if (typeof error === 'string') return { message: error.slice(0, 200) };
  return { errorCode: error.errorCode as string | undefined, message: error.message as string | undefined };
}
