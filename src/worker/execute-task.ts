import fs from 'node:fs';
import path from 'node:path';
import { type Connector, ConnectorFailure, type ConnectorOutcome, type TaskError } from '../connectors/connector.js';
import type { Settings } from '../domain/configurations/model.js';
import type { ConnectorType } from '../domain/connector-types.js';
import { RunResult, RunState, type QueuedRun, type RunTask, type TaskEnd, type TaskStart } from '../domain/runs/model.js';
import type { EndEffects, RunProgress } from './run-progress.js';
import { modelViewPrefix } from '../domain/model-view/model.js';
import { checkpointFileIn, checkpointKey, imodelsDir } from '../domain/imodels/imodel-file.js';
import type { StoredContent } from '../domain/storage/model.js';
import { ContainingChanges } from '../domain/versions/model.js';
import type { WorkerContext } from './context.js';
import { changesetCreated, jobCompleted } from '../domain/webhooks/events.js';
import { withEvent } from './with-event.js';
import { runWorkDir } from './work-dir.js';
import type { WebhookEvent } from '../domain/webhooks/model.js';
import { planVersion, type PlannedVersion } from './plan-version.js';
import { sourceFileOf } from './source-file.js';
import { storeElementChanges } from './element-changes.js';
import { storeTaskReport } from './task-report.js';
import type { Manifest } from '../domain/manifest-connections/model.js';
import { isManifestTask } from '../domain/manifest-connections/plan.js';
import { downloadManifestTask, forgetManifestDownloads, type ManifestDownloads } from './manifest-task.js';

/**
 * One attempt of one task: mark it Executing, call its connector outside any transaction, then
 * record the outcome in one step (TaskEnd) that holds only while our lease does. A success applies the
 * task's effect (one recorded iModel change, keyed by the task, and the source file's synchronized
 * state) with the task's completion, so a worker that dies before that commit leaves the task to be
 * executed again, and one that commits cannot have its effect applied a second time.
 */
export async function executeTask(
  ctx: WorkerContext,
  run: QueuedRun,
  task: RunTask,
  progress: RunProgress,
  signal: AbortSignal,
  settings: () => Promise<Settings>,
  manifest?: () => Promise<Manifest>,
  started?: TaskStart,
): Promise<EndEffects> {
  const startedAt = task.startedAt ?? new Date(ctx.now()).toISOString();
  // A retried or taken-over task may have left output behind; a first attempt cannot have. A first
  // attempt is a task not started yet, or a run's first task, which this worker's planning stored
  // already started (`started`; its state then says Executing, as a taken-over task's does).
  const firstAttempt = task.retryAttempts === 0 && (started !== undefined || task.state === RunState.NotStarted);
  // The content the task synchronizes is what the file holds as it starts (a PUT after the run was
  // planned included), read with the start, in the same statement on PostgreSQL. A run's first task
  // was started, and that read, by the write that stored the plan (`started`).
  const start = started ?? (await ctx.store.runs.startHeldTask(run, ctx.owner, task, startedAt));
  progress.started(task.id, startedAt);
  let content = task.action === 'sync' ? start.content : undefined;
  // A manifest connection's task downloads its file (docs/manifest-connections.md); a storage task never does.
  const downloading = isManifestTask(task) && task.action === 'sync';
  const downloadDir = downloading ? path.join(runWorkDir(ctx, run), `${task.id}.manifest`) : '';
  let downloads: ManifestDownloads | undefined;

  const connector = ctx.connectors(task.connectorType as ConnectorType);
  let version: PlannedVersion | undefined;
  let outcome: ConnectorOutcome | undefined;
  let failure: ConnectorFailure | undefined;
  let elementChangesId: string | null = null;
  const callStarted = performance.now();
  try {
    version = await planVersion(ctx, run, task, start.latest, connector.writesVersionFiles);
    if (downloading) {
      downloads = await downloadManifestTask(ctx, run, task, await manifest!(), downloadDir, signal);
      content = downloads.content;
    }
    const connectorSettings = connector.usesSettings ? await settings() : undefined;
    outcome = await callConnector(ctx, run, task, firstAttempt, content, connector, version, signal, connectorSettings, downloads);
    // The version the connector wrote is stored before the commit that points at it.
    if (outcome.checkpoint && version.checkpoint) await ctx.blobs.putFile(checkpointKey(run.iModelId, version.changeset.index), version.checkpoint.target);
    // Likewise the element changes of its changeset (element-changes.ts); emulated connectors have none.
    if (outcome.elementChanges) elementChangesId = await storeElementChanges(ctx, run, outcome.elementChanges);
  } catch (error) {
    if (signal.aborted) throw error; // time-out, cancellation or shutdown: the caller decides
    failure = error instanceof ConnectorFailure ? error : crashed(error);
  }
  const callMs = performance.now() - callStarted;
  // Its blob before the commit that records it (task-report.ts); none for an attempt that will be retried.
  const ended = outcome ? { outcome } : willRetry(ctx, task, failure!) ? undefined : { failure: failure! };
  const reportId = (ended && (await storeTaskReport(ctx, run, task, connector.kind, ended))) ?? null;

  const endedAt = new Date(ctx.now()).toISOString();
  const end = outcome
    ? succeeded(ctx, run, task, content, version!, outcome, endedAt, reportId, elementChangesId)
    : failed(ctx, run, task, failure!, endedAt, reportId);
  if (downloads && end.outcome.details) end.outcome.details = { ...end.outcome.details, ...downloads.details };
  // The task's job ends with it when it was the job's last. With the run's last task, the run ends
  // too when nothing is left to do after this commit: no work folder to remove (no connector of the
  // run wrote files), no downloads to forget, no checkpoints to prune (emulated runs). Otherwise it
  // goes to Finalizing, and completes once those are done, so that a client who sees it Completed
  // sees what it left behind.
  const effects = progress.effectsOf(task.id, end.outcome);
  if (effects.jobResult !== undefined) end.job = { id: task.jobId, result: effects.jobResult, endedAt };
  const events: WebhookEvent[] = [];
  if (effects.runDone) {
    effects.runCompleted = !downloading && !outcome?.checkpoint && !(await exists(runWorkDir(ctx, run)));
    effects.endedAt = endedAt;
    end.run = effects.runCompleted ? { state: RunState.Completed, result: effects.runResult!, endedAt, releaseLease: true } : { state: RunState.Finalizing };
  }
  // Webhooks: a changeset's and the run's end events commit with them (the task's end alone as before while nobody subscribes).
  if (end.changeset)
    events.push(changesetCreated({ id: version!.changeset.id, index: version!.changeset.index, iModelId: run.iModelId, creatorId: run.requestedBy }, endedAt));
  if (effects.runCompleted) events.push(jobCompleted(run, effects.runResult!, endedAt));
  await withEvent(ctx, events, (repos) => repos.runs.endHeldTask(end));
  progress.ended(task.id, end.outcome);
  if (downloading) await forgetManifestDownloads(ctx, run, task, downloadDir);

  // After the commit: what is logged and counted is what the store holds.
  if (outcome?.checkpoint) await pruneCheckpoints(ctx, run.iModelId);
  const retry = failure !== undefined && willRetry(ctx, task, failure);
  ctx.metrics?.taskDone(task.connectorType, outcome ? 'Success' : retry ? 'Retry' : 'Error', callMs / 1000);
  if (failure) {
    const line = {
      runId: run.id,
      taskId: task.id,
      connectorType: task.connectorType,
      fileName: task.fileName,
      attempt: task.retryAttempts + 1,
      ms: Math.round(callMs),
      errorCode: failure.taskError.errorCode,
      message: failure.taskError.message,
      details: failure.taskError.details?.slice(0, 500),
    };
    if (retry) ctx.log.warn({ ...line, retryInMs: backoffMs(ctx, task) }, 'task failed; retrying');
    else ctx.log.warn(line, 'task failed');
  }
  return effects;
}

/** A failed attempt is retried when its connector says it may be and retries are left. */
function willRetry(ctx: WorkerContext, task: RunTask, failure: ConnectorFailure): boolean {
  return failure.retryable && task.retryAttempts < ctx.settings.maxRetries;
}

/** Wait before the next attempt: doubled for each retry already made. */
function backoffMs(ctx: WorkerContext, task: RunTask): number {
  return ctx.settings.retryBackoffMs * 2 ** task.retryAttempts;
}

async function callConnector(
  ctx: WorkerContext,
  run: QueuedRun,
  task: RunTask,
  firstAttempt: boolean,
  content: StoredContent | undefined,
  connector: Connector,
  version: PlannedVersion,
  signal: AbortSignal,
  settings: Settings | undefined,
  downloads?: ManifestDownloads,
): Promise<ConnectorOutcome> {
  const outputDir = path.join(runWorkDir(ctx, run), task.id);
  // Output an earlier attempt left (see firstAttempt). The folder is made by the connectors that
  // write into it (most tasks of emulated runs write nothing, and a folder made and removed per
  // task was a tenth of such a run's cost).
  if (!firstAttempt) await fs.promises.rm(outputDir, { recursive: true, force: true });
  // Connectors read files: the blob's own file (local store) or a copy beside the output folder.
  const filePath = downloads ? downloads.filePath : content ? await sourceFileOf(ctx, task.storageFileId, content, `${outputDir}.source`) : null;
  return connector.run({
    action: task.action,
    connectorType: task.connectorType as ConnectorType,
    iModelId: run.iModelId,
    sourceFileId: task.sourceFileId,
    storageFileId: task.storageFileId,
    fileName: task.fileName,
    filePath,
    size: content?.size ?? 0,
    contentHash: content?.hash ?? null,
    outputDir,
    attempt: task.retryAttempts,
    signal,
    changeset: version.changeset,
    ...(version.checkpoint && { checkpoint: version.checkpoint }),
    ...(settings && { settings }),
    ...(downloads && { references: downloads.references }),
  });
}

/**
 * The task's effect with its completion: the changeset it makes (with the version file the
 * connector wrote, if any), and what the iModel now holds of the source file (its content for
 * `sync`, nothing for `remove`). The task's details name the changeset.
 */
function succeeded(
  ctx: WorkerContext,
  run: QueuedRun,
  task: RunTask,
  content: StoredContent | undefined,
  version: PlannedVersion,
  outcome: ConnectorOutcome,
  endedAt: string,
  reportId: string | null,
  elementChangesId: string | null,
): TaskEnd {
  const { changeset } = version;
  // What the iModel now holds: the content read at the task's start (a `remove` names what it took out).
  const contentHash = task.action === 'sync' ? (content?.hash ?? null) : task.contentHash;
  const connector = ctx.connectors(task.connectorType as ConnectorType);
  const end: TaskEnd = {
    runId: run.id,
    owner: ctx.owner,
    taskId: task.id,
    outcome: {
      state: RunState.Completed,
      result: RunResult.Success,
      endedAt,
      retryAttempts: task.retryAttempts,
      nextAttemptMs: task.nextAttemptMs,
      error: null,
      details: { ...outcome.details, synchronizationReport: outcome.report, changesetId: changeset.id, changesetIndex: changeset.index },
      reportId,
    },
    changeset: {
      ...changeset,
      iModelId: run.iModelId,
      description: outcome.summary ?? defaultDescription(task, connector.kind),
      creatorId: run.requestedBy,
      pushedAt: endedAt,
      containingChanges: outcome.checkpoint ? ContainingChanges.SpatialData : ContainingChanges.Regular,
      application: { id: `twinsync-${connector.kind}`, name: `twinsync ${task.connectorType} connector (${connector.kind})` },
      taskId: task.id,
      runId: run.id,
      sourceFileId: task.sourceFileId,
      action: task.action,
      contentHash,
      changedFiles: [task.fileName],
      checkpointSize: outcome.checkpoint?.size ?? null,
      checkpointPruned: false,
      elementChangesId,
    },
  };
  if (task.action === 'sync') {
    const file = {
      sourceFileId: task.sourceFileId,
      storageFileId: task.storageFileId,
      fileName: task.fileName,
      connectorType: task.connectorType,
      contentHash: contentHash ?? '',
    };
    end.synced = { connectionId: run.connectionId, file, at: endedAt };
  } else {
    end.forgotten = { connectionId: run.connectionId, sourceFileId: task.sourceFileId };
  }
  return end;
}

/** What a changeset says when its connector gave no summary. */
function defaultDescription(task: RunTask, kind: string): string {
  const emulated = kind === 'emulate' ? ' (emulated content)' : '';
  return task.action === 'sync' ? `Synchronized '${task.fileName}'${emulated}.` : `Removed what '${task.fileName}' had brought in${emulated}.`;
}

/**
 * Keeps an iModel's checkpoint files to the newest CHECKPOINTS_KEPT plus named versions'. Marked
 * pruned first, then removed: nobody is sent to a file about to go, and a file left by a crash in
 * between is only disk space. A failure here costs disk, never the task: it is logged.
 */
async function pruneCheckpoints(ctx: WorkerContext, iModelId: string): Promise<void> {
  try {
    const indexes = await ctx.store.versions.prunableCheckpoints(iModelId, ctx.settings.checkpointsKept);
    if (indexes.length === 0) return;
    await ctx.store.versions.markPruned(iModelId, indexes);
    await ctx.blobs.delete(indexes.map((i) => checkpointKey(iModelId, i)));
    // What the model view exported from them goes with them (docs/model-view.md).
    await Promise.all(indexes.map((i) => ctx.blobs.deletePrefix(modelViewPrefix(iModelId, i))));
    // With an object store, this machine's copies too (with the local store, the same files: gone already).
    const dir = imodelsDir(ctx.dataDir);
    await Promise.all(indexes.map((i) => fs.promises.rm(checkpointFileIn(dir, iModelId, i), { force: true })));
  } catch (error) {
    ctx.log.warn({ err: error, iModelId }, 'checkpoints could not be pruned');
  }
}

/** A failed attempt: waiting to retry while retries are left, else Completed with its error. */
function failed(ctx: WorkerContext, run: QueuedRun, task: RunTask, failure: ConnectorFailure, endedAt: string, reportId: string | null): TaskEnd {
  const error = failure.taskError;
  const base = { runId: run.id, owner: ctx.owner, taskId: task.id };
  if (willRetry(ctx, task, failure)) {
    const outcome = {
      state: RunState.WaitingToRetry,
      result: task.result,
      endedAt: null,
      retryAttempts: task.retryAttempts + 1,
      nextAttemptMs: ctx.now() + backoffMs(ctx, task),
      error,
      details: null,
      reportId: null,
    };
    return { ...base, outcome };
  }
  const outcome = {
    state: RunState.Completed,
    result: RunResult.Error,
    endedAt,
    retryAttempts: task.retryAttempts,
    nextAttemptMs: task.nextAttemptMs,
    error,
    details: null,
    reportId,
  };
  return { ...base, outcome };
}

/** A connector that threw something else than a ConnectorFailure is a bug or a crash: retry it. */
function crashed(error: unknown): ConnectorFailure {
  const message = error instanceof Error ? error.message : String(error);
  const taskError: TaskError = {
    errorCode: 'TWINSYNC_CONNECTOR_CRASHED',
    message: 'The connector failed unexpectedly.',
    details: message.slice(0, 2000),
    system: 'twinsync',
    phase: 'internal_server_error',
    category: 'other',
    descriptionKey: 'ConnectorCrashed',
    description: 'The connector failed unexpectedly.',
    kbArticleLink: '',
    canUserFix: false,
  };
  return new ConnectorFailure(taskError, true);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.promises.access(file);
    return true;
  } catch {
    return false;
  }
}
