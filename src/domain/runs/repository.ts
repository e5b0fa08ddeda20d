import type { Page } from '../paging.js';
import type { CancelledRun, HeldTask, Job, NewRun, QueuedRun, Run, RunChange, RunJob, RunSummary, RunTask, SyncedFile, TaskEnd, TaskStart } from './model.js';
import type { CurrentSourceFile } from './plan.js';
import type { StorageConnection } from '../storage-connections/model.js';

/**
 * Persistence of runs, their jobs and tasks, and the run queue, in domain terms (implemented in
 * src/store/repositories/runs.ts). The runs table is the queue: a worker claims a run by taking its
 * lease, renews the lease while it works, and every step it commits holds only while the lease
 * does (the store throws LeaseLost otherwise, and the step's transaction rolls back).
 */
export interface RunRepository {
  // --- The API's side ---
  /** False when the iModel already has an active run (nothing written). */
  insert(run: NewRun): Promise<boolean>;
  /** The iModel's run that is not Completed, if any (at most one). */
  findActiveOf(iModelId: string): Promise<{ id: string; connectionId: string } | undefined>;
  /** The connection's run, with its jobs and tasks. */
  find(connectionId: string, id: string): Promise<Run | undefined>;
  /** The connection's runs, newest first (ties by id), one beyond the page; without their jobs (see jobsOf). */
  listOf(connectionId: string, page: Page): Promise<Run[]>;
  /** The jobs (with their tasks) of each of the runs. */
  jobsOf(runIds: readonly string[]): Promise<Map<string, Job[]>>;
  /**
   * Ends the connection's active run as Cancelled, freeing its lease; a worker holding it notices at
   * its next step. Returns the runs this statement ended (none when a worker completed it first):
   * only those get a Cancelled event.
   */
  cancelActiveOf(connectionId: string, endedAt: string): Promise<CancelledRun[]>;
  /** The same for the iModel's active run, whichever connection it is of. */
  cancelActiveOfIModel(iModelId: string, endedAt: string): Promise<CancelledRun[]>;

  // --- For /metrics: read at scrape time, so every process sharing the store reports the same ---
  countsByStateAndResult(): Promise<{ state: string; result: string; count: number }[]>;
  /** Runs waiting for a worker: not completed, and no live lease (never claimed, released, or its worker died). */
  queueDepth(nowMs: number): Promise<number>;

  // --- The queue ---
  /**
   * Takes, for `owner` until `nowMs + leaseMs`, the lease of the oldest active run whose lease is
   * free or expired; undefined when there is none. Of several workers racing for a run, exactly
   * one gets it (the others get the next run, or none).
   */
  claimNext(owner: string, nowMs: number, leaseMs: number): Promise<ClaimedRun | undefined>;
  /** The run as the queue holds it now. */
  findQueued(id: string): Promise<QueuedRun | undefined>;
  /** Extends the lease to `untilMs`; false when it is no longer `owner`'s. A statement of its own, outside the group commit. */
  renewLease(id: string, owner: string, untilMs: number): Promise<boolean>;
  /** Gives the run back to the queue at once, if `owner` holds it. A statement of its own, outside the group commit. */
  releaseLease(id: string, owner: string): Promise<void>;
  /** Changes the run if it is still `owner`'s and active, else throws LeaseLost. */
  updateHeld(id: string, owner: string, change: RunChange): Promise<void>;

  // --- Planning ---
  /** The connection's source files now (in their order), and what its runs last synchronized of each. */
  sourcesOf(connectionId: string): Promise<{ current: CurrentSourceFile[]; synced: SyncedFile[] }>;
  /** What planning a run of the connection reads: the connection (undefined if deleted) and sourcesOf's two lists, read together. */
  planningOf(connectionId: string): Promise<Planning>;
  /** The planned run starts (`start`) with its jobs and tasks, only while it is still `owner`'s and active (else LeaseLost, nothing written). */
  startPlanned(
    run: { id: string; iModelId: string },
    owner: string,
    start: RunChange,
    jobs: readonly RunJob[],
    tasks: readonly RunTask[],
    first: Pick<RunTask, 'storageFileId'>,
  ): Promise<TaskStart>;

  // --- Tasks ---
  /** Every task of the run in execution order, with its error: what a worker taking the run over starts from. */
  tasksOf(runId: string): Promise<HeldTask[]>;
  /**
   * The task is Executing since `startedAt`; its job is Executing since the first of its tasks
   * started. Only while the run is still `owner`'s and active (else LeaseLost, nothing changed).
   * Returns what the task starts from, read with the start: the content of `storageFileId` now (a
   * pending upload's first) and the iModel's latest changeset.
   */
  startHeldTask(
    run: { id: string; iModelId: string },
    owner: string,
    task: Pick<RunTask, 'id' | 'jobId' | 'storageFileId'>,
    startedAt: string,
  ): Promise<TaskStart>;
  /** Records the end of a task's attempt with all it changes, only while the run is still `owner`'s and active (else LeaseLost, nothing changed). */
  endHeldTask(end: TaskEnd): Promise<void>;
  /** Ends every task and job of the run not yet Completed with `result`. */
  endUnfinished(runId: string, result: string, endedAt: string): Promise<void>;
  /** What the end-of-run log line says. */
  summaryOf(runId: string): Promise<RunSummary | undefined>;
}

/**
 * A claimed run, with what its planning reads when the store could read that together with the
 * claim: as planningOf would have answered at the moment of the claim. A store may leave it out
 * (where reading it with the claim would cost more than asking planningOf); the worker then asks.
 */
export interface ClaimedRun {
  run: QueuedRun;
  planning?: Planning;
}

/** What a run's planning reads (RunRepository.planningOf). */
export interface Planning {
  connection: StorageConnection | undefined;
  current: CurrentSourceFile[];
  synced: SyncedFile[];
}
