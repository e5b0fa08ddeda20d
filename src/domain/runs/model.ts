import type { RunJobRow, RunRow, RunTaskRow } from '../../store/schema-runs.js';

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

const json = (text: string | null) => (text === null ? null : (JSON.parse(text) as Record<string, unknown>));

export function runFromRows(run: RunRow, jobs: RunJobRow[], tasks: RunTaskRow[]): Run {
  return {
    id: run.id,
    connectionId: run.connection_id,
    startDateTime: run.created_at,
    endDateTime: run.ended_at,
    phase: run.phase,
    state: run.state,
    result: run.result,
    error: run.error_key ? { errorKey: run.error_key, description: run.error_description ?? '' } : null,
    jobs: jobs.map((job) => ({
      id: job.id,
      connectorType: job.connector_type,
      state: job.state,
      result: job.result,
      startDateTime: job.started_at,
      endDateTime: job.ended_at,
      tasks: tasks
        .filter((t) => t.job_id === job.id)
        .sort((a, b) => a.position - b.position)
        .map((t) => ({
          id: t.id,
          storageFileId: t.storage_file_id,
          state: t.state,
          result: t.result,
          retryAttempts: t.retry_attempts,
          startDateTime: t.started_at,
          endDateTime: t.ended_at,
          error: json(t.error),
          details: json(t.details),
        })),
    })),
  };
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
