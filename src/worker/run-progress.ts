import { combinedResult, RunState, type HeldTask, type RunSummary, type RunTask, type TaskOutcome } from '../domain/runs/model.js';
import { jobResult } from '../domain/runs/plan.js';

/**
 * What a task's end does beyond the task: the result of its job when the job ends with it, whether
 * the run has no open task left and its result then, and (set by the step that records the end)
 * whether that same commit completed the run.
 */
export interface EndEffects {
  jobResult: string | undefined;
  runDone: boolean;
  /** The run's result once no task is open; undefined while some is. */
  runResult: string | undefined;
  runCompleted?: boolean;
  /** When the task ended (set with runCompleted). */
  endedAt?: string;
}

/**
 * A held run's tasks as its worker knows them: all of them, as planning stored them or as read when
 * the run was taken over, kept up to date by the worker's own commits. Only the lease holder writes
 * a run's tasks, and every such write proves the lease, so while the lease holds this is what the
 * store holds. The worker decides from it which task is next, whether a task ends its job or the
 * run, and the run's result, instead of reading the tasks back after each step (on PostgreSQL each
 * read is a round trip).
 */
export class RunProgress {
  private constructor(private readonly tasks: HeldTask[]) {}

  /** The tasks planning just stored. */
  static planned(tasks: readonly RunTask[]): RunProgress {
    return new RunProgress(tasks.map((t) => ({ ...t, error: null })));
  }

  /** The tasks as the store holds them (a run taken over, or resumed after the store was unavailable). */
  static read(tasks: readonly HeldTask[]): RunProgress {
    return new RunProgress([...tasks].sort((a, b) => a.position - b.position));
  }

  /**
   * The tasks not Completed, in execution order: copies, so that a task given to a step stays as it
   * was when the step began (the step decides retries and logs from it after its end is recorded).
   */
  get open(): HeldTask[] {
    return this.tasks.filter((t) => t.state !== RunState.Completed).map((t) => ({ ...t }));
  }

  /** What ending `taskId` with `outcome` would do to its job and to the run (nothing is changed here). */
  effectsOf(taskId: string, outcome: TaskOutcome): EndEffects {
    const after = this.tasks.map((t) => (t.id === taskId ? { ...t, state: outcome.state, result: outcome.result } : t));
    const jobId = this.get(taskId).jobId;
    const runDone = after.every((t) => t.state === RunState.Completed);
    return {
      jobResult: jobResult(after.filter((t) => t.jobId === jobId)),
      runDone,
      runResult: runDone ? combinedResult(after.map((t) => t.result)) : undefined,
    };
  }

  /** The task started (committed). */
  started(taskId: string, startedAt: string): void {
    const task = this.get(taskId);
    task.state = RunState.Executing;
    task.startedAt ??= startedAt;
  }

  /** The task's end was committed. */
  ended(taskId: string, outcome: TaskOutcome): void {
    const task = this.get(taskId);
    task.state = outcome.state;
    task.result = outcome.result;
    task.endedAt = outcome.endedAt;
    task.retryAttempts = outcome.retryAttempts;
    task.nextAttemptMs = outcome.nextAttemptMs;
    task.error = outcome.error as Record<string, unknown> | null;
  }

  /** The run's result, from its tasks'. */
  get result(): string {
    return combinedResult(this.tasks.map((t) => t.result));
  }

  /** Every task as the end-of-run log line tells it, in execution order. */
  summaries(): RunSummary['tasks'] {
    return this.tasks.map((t) => ({ result: t.result, connectorType: t.connectorType, fileName: t.fileName, error: t.error }));
  }

  private get(taskId: string): HeldTask {
    const task = this.tasks.find((t) => t.id === taskId);
    if (!task) throw new Error(`task ${taskId} is not one of the run's`);
    return task;
  }
}
