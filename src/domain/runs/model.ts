import type { StoredContent } from '../storage/model.js';
import type { Changeset } from '../versions/model.js';

/** Run: WaitingToExecute → Executing → Finalizing → Completed; task: NotStarted → Executing (↔ WaitingToRetry) → Completed. */
export const RunState = {
  WaitingToExecute: 'WaitingToExecute',
  Executing: 'Executing',
  WaitingToRetry: 'WaitingToRetry',
  Finalizing: 'Finalizing',
  Completed: 'Completed',
  NotStarted: 'NotStarted',
} as const;

/** `Undetermined` until Completed. */
export const RunResult = {
  Undetermined: 'Undetermined',
  Success: 'Success',
  PartialSuccess: 'PartialSuccess',
  Error: 'Error',
  Skipped: 'Skipped',
  Cancelled: 'Cancelled',
  TimedOut: 'TimedOut',
} as const;

export interface Task {
  id: string;
  storageFileId: string;
  /** The source file's id: a manifest connection's tasks show it (they have no storage file). */
  sourceFileId: string;
  state: string;
  result: string;
  retryAttempts: number;
  startDateTime: string | null;
  endDateTime: string | null;
  error: Record<string, unknown> | null;
  details: Record<string, unknown> | null;
}

export interface Job {
  id: string;
  connectorType: string;
  state: string;
  result: string;
  startDateTime: string | null;
  endDateTime: string | null;
  tasks: Task[];
}

export interface Run {
  id: string;
  connectionId: string;
  startDateTime: string;
  endDateTime: string | null;
  phase: string | null;
  state: string;
  result: string;
  error: { errorKey: string; description: string } | null;
  jobs: Job[];
}

/** A run's (or a job's) result from its tasks' results. */
export function combinedResult(results: readonly string[]): string {
  if (results.length === 0) return RunResult.Success;
  if (results.every((r) => r === RunResult.Success)) return RunResult.Success;
  if (results.includes(RunResult.TimedOut)) return RunResult.TimedOut;
  if (results.includes(RunResult.Cancelled)) return RunResult.Cancelled;
  if (results.some((r) => r === RunResult.Success)) return RunResult.PartialSuccess;
  return RunResult.Error;
}

/**
 * What a run's tasks do to the iModel: `sync` brings a source file's content in (again), `remove`
 * takes out the content of a source file that was synchronized once and is gone since.
 */
export type TaskAction = 'sync' | 'remove';

/** A run to queue, as Run Storage Connection creates it; the store starts it with a free lease. */
export interface NewRun {
  id: string;
  connectionId: string;
  iModelId: string;
  requestedBy: string;
  state: string;
  result: string;
  createdAt: string;
  /** When the run times out (epoch ms). */
  deadlineMs: number;
}

/** A run as the queue holds it: what a worker needs to drive it, and its lease. */
/** A run a delete ended as Cancelled. */
export interface CancelledRun {
  id: string;
  iModelId: string;
  connectionId: string;
}

export interface QueuedRun {
  id: string;
  connectionId: string;
  iModelId: string;
  /** Who asked for the run: its changesets are pushed on their behalf. */
  requestedBy: string;
  state: string;
  /** When the run was requested (its end-of-run log line tells how long it took). */
  createdAt: string;
  /** When the run times out (epoch ms). */
  deadlineMs: number;
  /** The worker holding the run, if any. */
  leaseOwner: string | null;
  /** Epoch ms; a lease in the past is free. */
  leaseExpiresMs: number;
}

/** A change of a run a worker holds; fields left out keep their value. */
export interface RunChange {
  state?: string;
  result?: string;
  phase?: string;
  startedAt?: string;
  endedAt?: string;
  error?: { errorKey: string; description: string };
  /** The run leaves the worker with this change: its lease is freed. */
  releaseLease?: boolean;
}

/** A job as the worker plans and stores it: the tasks of one connector type. */
export interface RunJob {
  id: string;
  runId: string;
  connectorType: string;
  state: string;
  result: string;
  startedAt: string | null;
  endedAt: string | null;
}

/** A task as the worker plans, stores and executes it (the API shows it as a Task). */
export interface RunTask {
  id: string;
  jobId: string;
  runId: string;
  /** Order of execution within the run. */
  position: number;
  action: TaskAction;
  sourceFileId: string;
  storageFileId: string;
  fileName: string;
  connectorType: string;
  /** The storage file's content the task converts (none for `remove`, or a file without content). */
  contentVersion: number | null;
  contentHash: string | null;
  contentSize: number | null;
  state: string;
  result: string;
  retryAttempts: number;
  /** When a task WaitingToRetry is due (epoch ms). */
  nextAttemptMs: number;
  startedAt: string | null;
  endedAt: string | null;
}

/** A task as a worker taking over a run reads it: with its error, for the end-of-run log line. */
export interface HeldTask extends RunTask {
  /** The task error shape, or its text if it is not JSON; null when it has none. */
  error: Record<string, unknown> | string | null;
}

/** A task's columns at the end of an attempt, every one given (see TaskEnd): null clears. */
export interface TaskOutcome {
  state: string;
  result: string;
  endedAt: string | null;
  retryAttempts: number;
  nextAttemptMs: number;
  /** The task error shape. */
  error: object | null;
  /** `details` of the task (synchronizationReport, changesetId, ...). */
  details: object | null;
  /** The diagnostic report stored for the task (docs/reports.md), recorded with its completion; null for none. */
  reportId: string | null;
}

/**
 * The end of a task's attempt with everything it changes, recorded in one step that holds only
 * while the worker's lease does: the task, what the iModel now holds (a changeset, the source
 * file synchronized or forgotten) on success, the task's job when it was the job's last, and the
 * run when it was the run's last (Finalizing).
 */
export interface TaskEnd {
  runId: string;
  owner: string;
  taskId: string;
  outcome: TaskOutcome;
  changeset?: Changeset;
  synced?: { connectionId: string; file: SyncedFile; at: string };
  forgotten?: { connectionId: string; sourceFileId: string };
  job?: { id: string; result: string; endedAt: string };
  run?: RunChange;
}

/** What a task reads as it starts: the storage file's content now, and the iModel's latest changeset. */
export interface TaskStart {
  content: StoredContent | undefined;
  latest: { id: string; index: number } | undefined;
}

/** The content of a source file last synchronized into the iModel by a connection's run. */
export interface SyncedFile {
  sourceFileId: string;
  storageFileId: string;
  fileName: string;
  connectorType: string;
  contentHash: string;
}

/** A run that ended, as its end-of-run log line tells it. */
export interface RunSummary {
  id: string;
  connectionId: string;
  result: string;
  createdAt: string;
  endedAt: string | null;
  error: { errorKey: string; description: string | null } | null;
  /** In execution order. */
  tasks: {
    result: string;
    connectorType: string;
    fileName: string;
    /** The task error shape, or its text if it is not JSON. */
    error: Record<string, unknown> | string | null;
  }[];
}
