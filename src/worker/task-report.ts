import type { ConnectorFailure, ConnectorOutcome } from '../connectors/connector.js';
import { newOpaqueId } from '../domain/ids.js';
import { completeReport, reportKey } from '../domain/reports/model.js';
import type { ReportData } from '../domain/reports/report-data.js';
import type { QueuedRun, RunTask } from '../domain/runs/model.js';
import type { WorkerContext } from './context.js';

/**
 * Stores the diagnostic report of a task that is about to complete (its connector's, or one made
 * of its error when it failed for good) and answers its id, for the transaction that completes the
 * task to record. The blob is written first: a worker that dies before that commit leaves an
 * orphan blob (a few kilobytes under the iModel's prefix, gone with it), never a record without
 * its blob. A new id per attempt, so a worker that lost its lease cannot overwrite the report of
 * the one that took the task over. A report that cannot be stored costs the report, not the task:
 * it is logged, and the task completes without one.
 */
export async function storeTaskReport(
  ctx: WorkerContext,
  run: QueuedRun,
  task: RunTask,
  connectorKind: string,
  ended: { outcome: ConnectorOutcome } | { failure: ConnectorFailure },
): Promise<string | undefined> {
  const succeeded = 'outcome' in ended;
  const data = completeReport(succeeded ? ended.outcome.diagnostics : failureReport(ended.failure, task.fileName), {
    iModelId: run.iModelId,
    runId: run.id,
    jobId: task.jobId,
    taskId: task.id,
    connectorType: task.connectorType,
    connectorKind,
    action: task.action,
    storageFileId: task.storageFileId,
    fileName: task.fileName,
    result: succeeded ? 'Success' : 'Error',
    ...(succeeded && { summary: ended.outcome.report }),
    createdAt: new Date(ctx.now()).toISOString(),
  });
  const id = newOpaqueId();
  try {
    await ctx.blobs.put(reportKey(run.iModelId, id), Buffer.from(JSON.stringify(data)));
    return id;
  } catch (error) {
    ctx.log.warn({ err: error, runId: run.id, taskId: task.id }, 'the diagnostic report could not be stored; the task completes without one');
    return undefined;
  }
}

/** A failed task's report: its error as one issue, with the task error's key, code and category. */
function failureReport(failure: ConnectorFailure, fileName: string): ReportData {
  const error = failure.taskError;
  const message = error.details ? `${error.message} ${error.details}` : error.message;
  return {
    filerecords: [
      {
        auditrecords: [
          {
            auditinfo: { issueid: error.descriptionKey, level: 'Error', category: error.category, type: error.errorCode, message, fileName },
          },
        ],
      },
    ],
  };
}
