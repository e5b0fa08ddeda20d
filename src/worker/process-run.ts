import { resolvedSettingsOfConnection } from '../domain/configurations/connection-settings.js';
import type { Settings } from '../domain/configurations/model.js';
import { RunState, type QueuedRun } from '../domain/runs/model.js';
import type { WorkerContext } from './context.js';
import { executeTask } from './execute-task.js';
import { finalizeRun, logRunCompleted, logRunEnd, timeOutRun } from './finish-run.js';
import { manifestOf, planRun, type PlannedRun } from './plan-run.js';
import type { Manifest } from '../domain/manifest-connections/model.js';
import type { Planning } from '../domain/runs/repository.js';
import { RunProgress } from './run-progress.js';

/**
 * Drives one claimed run to its end, one committed step at a time: plan, then each task, then
 * finalize. It starts from the state the store gave with the claim, so a worker taking over a run
 * from a dead one continues where that one stopped; every step's transaction checks the lease, so
 * a run cancelled or taken over meanwhile stops this worker (LeaseLost).
 */
export async function processRun(
  ctx: WorkerContext,
  run: QueuedRun,
  signal: AbortSignal,
  draining: AbortSignal,
  planning?: Planning,
): Promise<'ended' | 'left'> {
  ctx.metrics?.leaseTaken();
  try {
    return await drive(ctx, run, signal, draining, planning);
  } finally {
    ctx.metrics?.leaseReleased();
  }
}

/** 'ended': the run is Completed, and the commit that completed it freed its lease. 'left': it was not. */
async function drive(ctx: WorkerContext, run: QueuedRun, signal: AbortSignal, draining: AbortSignal, planning?: Planning): Promise<'ended' | 'left'> {
  let state = run.state;
  // The run's tasks: stored by planning here, or read once when the run was planned before (taken over, resumed).
  let progress: RunProgress | undefined;
  // The first task's start, when planning here started it (with the plan's write): used by its first attempt.
  let started: FirstStart | undefined;
  const known = async () => (progress ??= RunProgress.read(await ctx.store.runs.tasksOf(run.id)));
  const settings = onceForRun(ctx, run);
  // A manifest run's manifest, read at its first download; never for storage runs.
  let manifest: Promise<Manifest> | undefined;
  const manifestOfRun = () => {
    manifest ??= manifestOf(ctx, run.id);
    manifest.catch(() => {
      manifest = undefined;
    });
    return manifest;
  };
  for (;;) {
    // Shutting down: the step in progress finished; the rest of the run goes back to the queue.
    if (signal.aborted || draining.aborted) return 'left';
    if (ctx.now() >= run.deadlineMs) {
      await timeOutRun(ctx, run);
      return 'ended';
    }
    switch (state) {
      case RunState.WaitingToExecute: {
        const outcome = await planRun(ctx, run, planning);
        if (outcome === 'completed') {
          // Nothing to do, or an owner who never consented: ended by planning.
          await logRunEnd(ctx, run.id);
          return 'ended';
        }
        progress = RunProgress.planned(outcome.tasks);
        started = outcome.first;
        state = RunState.Executing;
        break;
      }
      case RunState.Executing: {
        const current = await known();
        const next = await nextTask(ctx, run, current, settings, signal, draining, manifestOfRun, started);
        started = undefined;
        if (next === 'none') {
          await finalizeRun(ctx, run, current, false);
          return 'ended';
        }
        if (typeof next === 'object') {
          // Its last task's end completed the run (nothing to finalize).
          logRunCompleted(ctx, run, current, next.endedAt);
          return 'ended';
        }
        // Its last task's end moved the run to Finalizing.
        if (next === 'finalizing') state = RunState.Finalizing;
        break;
      }
      case RunState.Finalizing:
        await finalizeRun(ctx, run, await known(), true);
        return 'ended';
      default:
        throw new Error(`run ${run.id} is in an unknown state ${state}`);
    }
  }
}

type FirstStart = PlannedRun['first'];

/**
 * Executes the next of the run's open tasks that is due; waits (abortably) for the earliest retry
 * when all remaining tasks are waiting to retry. 'none' when no task is left, 'finalizing' when
 * the task executed was the run's last and its end moved the run to Finalizing, its end time when
 * that end completed the run.
 */
async function nextTask(
  ctx: WorkerContext,
  run: QueuedRun,
  progress: RunProgress,
  settings: () => Promise<Settings>,
  signal: AbortSignal,
  draining: AbortSignal,
  manifest: () => Promise<Manifest>,
  started: FirstStart | undefined,
): Promise<'none' | 'finalizing' | 'more' | { endedAt: string }> {
  const open = progress.open;
  if (open.length === 0) return 'none';
  const now = ctx.now();
  const due = open.find((t) => t.state !== RunState.WaitingToRetry || t.nextAttemptMs <= now);
  if (due) {
    const task = untilDeadline(signal, run.deadlineMs - now);
    try {
      const effects = await executeTask(ctx, run, due, progress, task.signal, settings, manifest, started?.taskId === due.id ? started.start : undefined);
      if (effects.runCompleted) return { endedAt: effects.endedAt! };
      return effects.runDone ? 'finalizing' : 'more';
    } catch (error) {
      // The run reached its deadline mid-task: the next step times it out.
      if (!(task.signal.aborted && !signal.aborted)) throw error;
      return 'more';
    } finally {
      task.dispose();
    }
  }
  const wake = Math.min(...open.map((t) => t.nextAttemptMs), run.deadlineMs);
  await sleep(Math.max(0, wake - now), signal, draining);
  return 'more';
}

/**
 * The connection's resolved configuration, read once per run on this worker: at the start of its
 * first task whose connector uses it, never for runs whose connectors do not (emulated ones).
 */
function onceForRun(ctx: WorkerContext, run: QueuedRun): () => Promise<Settings> {
  let read: Promise<Settings> | undefined;
  return () => {
    read ??= resolvedSettingsOfConnection(ctx.store, run.connectionId);
    // A failed read (the database went away) is tried again by the next task, not kept.
    read.catch(() => {
      read = undefined;
    });
    return read;
  };
}

/**
 * The worker's signal, also aborted when the run reaches its deadline. Built by hand and disposed
 * after each task: AbortSignal.any and AbortSignal.timeout would leave a listener on the worker's
 * long-lived signal and a timer of up to the run's whole time limit behind every task.
 */
function untilDeadline(parent: AbortSignal, remainingMs: number): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, Math.max(1, remainingMs));
  parent.addEventListener('abort', abort, { once: true });
  if (parent.aborted) abort();
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', abort);
    },
  };
}

/** Sleeps `ms`, or less if any of `signals` aborts. */
function sleep(ms: number, ...signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    for (const s of signals) s.addEventListener('abort', done, { once: true });
    if (signals.some((s) => s.aborted)) done();
    function done() {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', done);
      resolve();
    }
  });
}
