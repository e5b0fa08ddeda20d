import { newGuid } from '../ids.js';
import type { AuthenticationType } from '../storage-connections/model.js';
import { combinedResult, RunResult, RunState, type RunChange, type RunJob, type RunTask, type SyncedFile } from './model.js';

/** A source file of the connection now, with its storage file's current content (none if the file is gone). */
export interface CurrentSourceFile {
  sourceFileId: string;
  storageFileId: string;
  connectorType: string;
  fileName: string | null;
  contentVersion: number | null;
  contentHash: string | null;
  contentSize: number | null;
}

/** What planning decides of a task; the rest of a RunTask is given when the run's jobs are made. */
export type PlannedTask = Pick<
  RunTask,
  'action' | 'sourceFileId' | 'storageFileId' | 'fileName' | 'connectorType' | 'contentVersion' | 'contentHash' | 'contentSize'
>;

/** What planning decided: end the run at once (with this change), or execute these jobs and tasks. */
export type Plan = { end: RunChange } | { jobs: RunJob[]; tasks: RunTask[]; start: RunChange };

/**
 * The plan with its first task, and that task's job, Executing since `now`: the run's first task
 * starts in the write that stores the plan, one commit less per run than a start of its own
 * (docs/performance.md, "Three statements per run").
 */
export function withFirstTaskStarted(plan: Extract<Plan, { tasks: RunTask[] }>, now: string): Extract<Plan, { tasks: RunTask[] }> {
  const [first, ...rest] = plan.tasks;
  if (!first) return plan;
  return {
    ...plan,
    jobs: plan.jobs.map((job) => (job.id === first.jobId ? { ...job, state: RunState.Executing, startedAt: now } : job)),
    tasks: [{ ...first, state: RunState.Executing, startedAt: now }, ...rest],
  };
}

/** Runs of a `User` connection act on its owner's behalf: only once the owner consented. */
export function needsConsent(authenticationType: AuthenticationType): boolean {
  return authenticationType === 'User';
}

/** A run ended at planning (nothing to do, or no consent) starts and ends at `now`, freeing its lease. */
function endedAtOnce(now: string, result: string, error?: RunChange['error']): RunChange {
  return { state: RunState.Completed, result, startedAt: now, endedAt: now, releaseLease: true, ...(error ? { error } : {}) };
}

/** The run of a `User` connection whose owner never consented ends at once with UserNotAuthenticated. */
export function notConsented(now: string): Plan {
  return { end: endedAtOnce(now, RunResult.Error, { errorKey: 'UserNotAuthenticated', description: 'User is not authenticated.' }) };
}

/**
 * Turns a queued run into jobs and tasks: one task per source file that is new or whose content,
 * storage file or connector changed since it was last synchronized successfully, one `remove` task
 * per source file deleted since, one job per connector type (in the order of their names), tasks in
 * the order of the source files. Nothing to do: the run completes with Success and no jobs.
 */
export function planTasks(runId: string, current: readonly CurrentSourceFile[], synced: readonly SyncedFile[], now: string): Plan {
  return plannedJobs(runId, changedFiles(current, synced), now);
}

/** Tasks into jobs, one per connector type (in the order of their names); none: the run completes with Success. */
export function plannedJobs(runId: string, planned: readonly PlannedTask[], now: string): Plan {
  if (planned.length === 0) return { end: endedAtOnce(now, RunResult.Success) };

  const byType = new Map<string, PlannedTask[]>();
  for (const task of planned) byType.set(task.connectorType, [...(byType.get(task.connectorType) ?? []), task]);
  const jobs: RunJob[] = [];
  const tasks: RunTask[] = [];
  for (const [connectorType, ofType] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    const job: RunJob = { id: newGuid(), runId, connectorType, state: RunState.NotStarted, result: RunResult.Undetermined, startedAt: null, endedAt: null };
    jobs.push(job);
    for (const task of ofType) {
      tasks.push({
        ...task,
        id: newGuid(),
        jobId: job.id,
        runId,
        position: tasks.length,
        connectorType,
        state: RunState.NotStarted,
        result: RunResult.Undetermined,
        retryAttempts: 0,
        nextAttemptMs: 0,
        startedAt: null,
        endedAt: null,
      });
    }
  }
  return { jobs, tasks, start: { state: RunState.Executing, phase: 'MasterFile', startedAt: now } };
}

function changedFiles(current: readonly CurrentSourceFile[], synced: readonly SyncedFile[]): PlannedTask[] {
  const left = new Map(synced.map((s) => [s.sourceFileId, s]));
  const tasks: PlannedTask[] = [];
  for (const file of current) {
    const last = left.get(file.sourceFileId);
    left.delete(file.sourceFileId);
    const unchanged =
      last !== undefined &&
      file.contentHash !== null &&
      last.contentHash === file.contentHash &&
      last.storageFileId === file.storageFileId &&
      last.connectorType === file.connectorType;
    if (!unchanged) tasks.push({ action: 'sync', ...file, fileName: file.fileName ?? file.storageFileId });
  }
  // What is left was synchronized once and is no longer a source file: take its content out.
  for (const gone of left.values()) {
    tasks.push({
      action: 'remove',
      sourceFileId: gone.sourceFileId,
      storageFileId: gone.storageFileId,
      fileName: gone.fileName,
      connectorType: gone.connectorType,
      contentVersion: null,
      contentHash: gone.contentHash,
      contentSize: null,
    });
  }
  return tasks;
}

/** A job completes with its last task; its result combines its tasks'. Undefined while a task is open. */
export function jobResult(tasks: readonly { state: string; result: string }[]): string | undefined {
  if (tasks.some((t) => t.state !== RunState.Completed)) return undefined;
  return combinedResult(tasks.map((t) => t.result));
}
