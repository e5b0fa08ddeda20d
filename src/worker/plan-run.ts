import type { QueuedRun, RunTask } from '../domain/runs/model.js';
import { needsConsent, notConsented, planTasks, type Plan } from '../domain/runs/plan.js';
import type { Repositories } from '../domain/store.js';
import { jobCompleted } from '../domain/webhooks/events.js';

/**
 * Plans a queued run (the rules: src/domain/runs/plan.ts) in one transaction: a `User`
 * connection whose owner never consented ends the run at once with UserNotAuthenticated; otherwise
 * its jobs and tasks are stored and it moves to Executing, or it completes if there is nothing to
 * do. The run's own update at the end proves the lease (else all rolls back). Returns the tasks it
 * stored (the run's open tasks, as the store would give them), or 'completed'.
 */
export async function planRun(tx: Repositories, run: QueuedRun, owner: string, now: string): Promise<RunTask[] | 'completed'> {
  const connection = await tx.connections.find(run.connectionId);
  // Only if it was deleted (with its runs) since the claim: the step fails like any other.
  if (!connection) throw new Error(`connection ${run.connectionId} of run ${run.id} not found`);
  let decided: Plan;
  if (needsConsent(connection.authenticationType) && !(await tx.consents.hasConsented(connection.createdBy))) decided = notConsented(now);
  else {
    const { current, synced } = await tx.runs.sourcesOf(run.connectionId);
    decided = planTasks(run.id, current, synced, now);
  }
  if ('end' in decided) {
    await tx.runs.updateHeld(run.id, owner, decided.end);
    // Webhooks: committed with the run's end (no statement while nobody subscribes).
    await tx.webhooks.record(jobCompleted(run, decided.end.result ?? '', now), Date.parse(now));
    return 'completed';
  }
  await tx.runs.addJobs(decided.jobs, decided.tasks);
  await tx.runs.updateHeld(run.id, owner, decided.start);
  return decided.tasks;
}
