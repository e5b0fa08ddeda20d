import type { ReportData } from './report-data.js';

/** A task's diagnostic report as Get Diagnostic Reports lists it (before its URL is signed). */
export interface DiagnosticReport {
  /** 43 characters of base64url, as Bentley's ids of reports are: an opaque id (src/domain/ids.ts). */
  id: string;
  iModelId: string;
  runId: string;
  taskId: string;
  /** When the task completed, with its report. */
  createdAt: string;
}

/** The kind of signed grant a report download is (UploadSigner.signGrant). */
export const REPORT_GRANT = 'report';

/**
 * The blob of a report: under the iModel's prefix, so that deleting the iModel deletes its reports
 * with its versions. Made of ids only (the iModel's GUID, the report's opaque id).
 */
export function reportKey(iModelId: string, reportId: string): string {
  return `imodels/${iModelId}/reports/${reportId}.json`;
}

/** What the worker knows of a task when it completes: the ids and names its report is about. */
export interface ReportFacts {
  iTwinId?: string;
  iModelId: string;
  runId: string;
  jobId: string;
  taskId: string;
  connectorType: string;
  /** `emulate`, `command` or `builtin`. */
  connectorKind: string;
  action: 'sync' | 'remove';
  storageFileId: string;
  fileName: string;
  /** The task's result: Success or Error. */
  result: string;
  /** The task's details.synchronizationReport, when it succeeded: the counts the report sums up. */
  summary?: object;
  createdAt: string;
}

/**
 * The report as it is stored: what the connector wrote (its file records, element records and
 * anything else), with the context and the source file filled in from what twinsync knows, which
 * win over a connector's (a program cannot make its report claim another iModel or run). A
 * connector's file records without a file are given the task's; with none at all, there is one
 * record of the file with no issues, so that a renderer shows the file.
 */
export function completeReport(written: ReportData | undefined, facts: ReportFacts): ReportData {
  const file = { identifier: facts.storageFileId, path: facts.fileName };
  const records = written?.filerecords?.map((r) => (r.file === undefined ? { ...r, file } : r)) ?? [];
  return {
    ...written,
    context: {
      ...written?.context,
      reportType: 'SynchronizationReport',
      operationType: facts.action === 'sync' ? 'Synchronization' : 'Removal',
      ...(facts.iTwinId !== undefined && { contextid: facts.iTwinId }),
      imodelid: facts.iModelId,
      jobid: facts.jobId,
      activityid: facts.runId,
      runId: facts.runId,
      taskId: facts.taskId,
      connectorType: facts.connectorType,
      connector: facts.connectorKind,
      result: facts.result,
      timestamp: facts.createdAt,
    },
    sourceFilesInfo: {
      ...written?.sourceFilesInfo,
      itemType: 'File',
      dataSource: 'Storage',
      fileId: facts.storageFileId,
      fileName: facts.fileName,
      fileExists: facts.action === 'sync',
      bimFileExists: facts.result === 'Success',
    },
    filerecords: records.length > 0 ? records : [{ file, auditrecords: [] }],
    ...(facts.summary !== undefined && { synchronizationReport: facts.summary }),
  };
}
