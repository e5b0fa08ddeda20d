import type { QueuedRun, RunTask, TaskStart } from '../domain/runs/model.js';
import { needsConsent, notConsented, planTasks, withFirstTaskStarted, type Plan } from '../domain/runs/plan.js';
import type { Planning } from '../domain/runs/repository.js';
import type { WorkerContext } from './context.js';
import { jobCompleted } from '../domain/webhooks/events.js';
import { withEvent } from './with-event.js';
import { planManifestTasks } from '../domain/manifest-connections/plan.js';
import type { Manifest } from '../domain/manifest-connections/model.js';

/** A manifest run's manifest (stored with it by the request that queued it; read only for manifest connections' runs). */
export async function manifestOf(ctx: WorkerContext, runId: string): Promise<Manifest> {
  const manifest = await ctx.store.manifests.manifestOf(runId);
  if (!manifest) throw new Error(`run ${runId} has no manifest`);
  return manifest;
}

/**
 * Plans a queued run (the rules: src/domain/runs/plan.ts): a `User` connection whose owner never
 * consented ends the run at once with UserNotAuthenticated; otherwise its jobs and tasks are stored
 * and it moves to Executing with its first task started, or it completes if there is nothing to do.
 * Returns the tasks it stored (the run's tasks, as the store would give them) and what the first one
 * starts from, or 'completed'.
 *
 * What planning reads is read first, outside the transaction, in one statement on PostgreSQL (each
 * statement is a round trip, and in a transaction they would follow one another), there the claim's
 * own statement (`read`, for the first attempt of a run just claimed): the run is planned
 * from the connection as it was an instant before the write, as if it had been planned then. Only
 * the write needs the lease: the run's update proves it, and the jobs and tasks are written only
 * with it (one statement on PostgreSQL, a transaction on SQLite).
 */
/** A planned run: its tasks, and the first one's start (read with the plan's write). */
export interface PlannedRun {
  tasks: RunTask[];
  first: { taskId: string; start: TaskStart };
}

export async function planRun(ctx: WorkerContext, run: QueuedRun, read?: Planning): Promise<PlannedRun | 'completed'> {
  const now = new Date(ctx.now()).toISOString();
  // Read with the claim where the store could (PostgreSQL), else now.
  const { connection, ...sources } = read ?? (await ctx.store.runs.planningOf(run.connectionId));
  // Only if it was deleted (with its runs) since the claim: the step fails like any other.
  if (!connection) throw new Error(`connection ${run.connectionId} of run ${run.id} not found`);
  let decided: Plan;
  if (needsConsent(connection.authenticationType) && !(await ctx.store.consents.hasConsented(connection.createdBy))) decided = notConsented(now);
  else if (connection.kind === 'manifest') decided = planManifestTasks(run.id, await manifestOf(ctx, run.id), sources.synced, now);
  else decided = planTasks(run.id, sources.current, sources.synced, now);
  if ('end' in decided) {
    const end = decided.end;
    // Webhooks: the event commits with the run's end (alone as before while nobody subscribes).
    await withEvent(ctx, jobCompleted(run, end.result ?? '', now), (repos) => repos.runs.updateHeld(run.id, ctx.owner, end));
    return 'completed';
  }
  const { jobs, tasks, start } = withFirstTaskStarted(decided, now);
  const first = await ctx.store.runs.startPlanned(run, ctx.owner, start, jobs, tasks, tasks[0]!);
  return { tasks, first: { taskId: tasks[0]!.id, start: first } };
}
