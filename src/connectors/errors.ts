import { ConnectorFailure, type TaskError } from './connector.js';

/**
 * The one catalogue of task errors the connectors raise, in the documented task-error shape
 * (docs/api-contract.md, Runs). `system` is always `twinsync` so a client can tell our errors from a
 * vendor program's own codes; `kbArticleLink` is stored empty: the API fills it in from
 * `descriptionKey` when it presents the error (a page of the service, docs/errors.md).
 */
interface Fields {
  errorCode: string;
  message: string;
  phase: 'file_check' | 'conversion' | 'execution';
  category: 'input' | 'connector' | 'timeout' | 'cancelled' | 'configuration' | 'emulated';
  descriptionKey: string;
  description: string;
  canUserFix: boolean;
  details?: string;
  bridgeExitCode?: number;
}

/** Keys in the documented order, so stored and rendered errors read like Bentley's. */
function taskError({ details, bridgeExitCode, ...f }: Fields): TaskError {
  return {
    errorCode: f.errorCode,
    message: f.message,
    ...(details !== undefined && { details }),
    ...(bridgeExitCode !== undefined && { bridgeExitCode }),
    system: 'twinsync',
    phase: f.phase,
    category: f.category,
    descriptionKey: f.descriptionKey,
    description: f.description,
    kbArticleLink: '',
    canUserFix: f.canUserFix,
  };
}

/** Re-uploading the file fixes these, so they are the user's to fix and retrying is pointless. */
function fileProblem(errorCode: string, message: string, descriptionKey: string, description: string): ConnectorFailure {
  return new ConnectorFailure(taskError({ errorCode, message, phase: 'file_check', category: 'input', descriptionKey, description, canUserFix: true }), false);
}

/** A manifest file's download (docs/manifest-connections.md): retried when another attempt may succeed. */
function downloadProblem(retryable: boolean, f: Omit<Fields, 'phase' | 'category'> & { category?: Fields['category'] }): ConnectorFailure {
  return new ConnectorFailure(taskError({ phase: 'file_check', category: 'input', ...f }), retryable);
}

export const connectorErrors = {
  manifestDownloadRefused: (fileName: string, reason: string) =>
    downloadProblem(false, {
      errorCode: 'TWINSYNC_MANIFEST_DOWNLOAD_REFUSED',
      message: `The URL of '${fileName}' was not downloaded: ${reason}.`,
      descriptionKey: 'ManifestDownloadRefused',
      description: 'The file URL leads where this service may not download from. Use an allowed host, or ask the operator to allow it.',
      canUserFix: true,
    }),
  manifestDownloadTimedOut: (fileName: string, reason: string) =>
    downloadProblem(true, {
      errorCode: 'TWINSYNC_MANIFEST_DOWNLOAD_TIMEOUT',
      message: `The download of '${fileName}' took too long: ${reason}.`,
      descriptionKey: 'ManifestDownloadTimedOut',
      description: 'The file server did not answer or send the file in time. The task is retried.',
      category: 'timeout',
      canUserFix: false,
    }),
  manifestDownloadFailed: (fileName: string, reason: string, retryable: boolean) =>
    downloadProblem(retryable, {
      errorCode: 'TWINSYNC_MANIFEST_DOWNLOAD_FAILED',
      message: `The download of '${fileName}' failed: ${reason}.`,
      descriptionKey: 'ManifestDownloadFailed',
      description: 'The file server refused or failed to send the file. Check that the URL is valid and still pre-authenticated.',
      canUserFix: true,
    }),
  manifestFileTooLarge: (fileName: string, limit: number) =>
    downloadProblem(false, {
      errorCode: 'TWINSYNC_MANIFEST_FILE_TOO_LARGE',
      message: `'${fileName}' is larger than the limit of ${limit} bytes.`,
      descriptionKey: 'ManifestFileTooLarge',
      description: 'The file is larger than this service downloads (MANIFEST_MAX_FILE_BYTES).',
      canUserFix: true,
    }),
  manifestLengthMismatch: (fileName: string, reason: string) =>
    downloadProblem(true, {
      errorCode: 'TWINSYNC_MANIFEST_LENGTH_MISMATCH',
      message: `The download of '${fileName}' is not what its server announced: ${reason}.`,
      descriptionKey: 'ManifestLengthMismatch',
      description: 'The file server sent a body whose length differs from its Content-Length. The task is retried.',
      canUserFix: false,
    }),
  fileUnreadable: (fileName: string, reason: string) =>
    fileProblem(
      'TWINSYNC_FILE_UNREADABLE',
      `The content of '${fileName}' could not be read: ${reason}.`,
      'SourceFileUnreadable',
      'The source file content could not be read. Upload the file again.',
    ),
  fileIncomplete: (fileName: string, actual: number, expected: number) =>
    fileProblem(
      'TWINSYNC_FILE_INCOMPLETE',
      `The content of '${fileName}' is incomplete: ${actual} bytes stored, ${expected} expected.`,
      'SourceFileIncomplete',
      'The source file content is incomplete. Upload the file again.',
    ),
  fileCorrupt: (fileName: string) =>
    fileProblem(
      'TWINSYNC_FILE_CORRUPT',
      `The content of '${fileName}' does not match its recorded SHA-256 hash.`,
      'SourceFileCorrupt',
      'The source file content is damaged. Upload the file again.',
    ),

  /** The run timed out, was cancelled, or the worker is shutting down: the attempt did not finish. */
  aborted: (fileName: string) =>
    new ConnectorFailure(
      taskError({
        errorCode: 'TWINSYNC_ABORTED',
        message: `Processing of '${fileName}' was stopped before it finished.`,
        phase: 'execution',
        category: 'cancelled',
        descriptionKey: 'TaskAborted',
        description: 'The task was stopped because its run timed out, was cancelled, or its worker shut down.',
        canUserFix: false,
      }),
    ),

  /** What an `emulate` outcome rule asked for; the message says it was emulated so nobody hunts a real bug. */
  emulated: (errorCode: string, message: string, retryable: boolean) =>
    new ConnectorFailure(
      taskError({
        errorCode,
        message,
        phase: 'conversion',
        category: 'emulated',
        descriptionKey: 'EmulatedFailure',
        description: 'An emulated failure configured in the connector outcomes (CONNECTORS).',
        canUserFix: false,
      }),
      retryable,
    ),

  programNotStarted: (command: string, code: string, retryable = false) =>
    new ConnectorFailure(
      taskError({
        errorCode: 'TWINSYNC_CONNECTOR_NOT_STARTED',
        message: `The connector program '${command}' could not be started (${code}).`,
        phase: 'execution',
        category: 'configuration',
        descriptionKey: 'ConnectorNotStarted',
        description: 'The connector program is missing or not executable; the operator must fix the configuration.',
        canUserFix: false,
      }),
      retryable,
    ),
  programExit: (exitCode: number, outputTail: string, retryable: boolean) =>
    new ConnectorFailure(
      taskError({
        errorCode: 'TWINSYNC_CONNECTOR_EXIT',
        message: `The connector program failed with exit code ${exitCode}.`,
        details: outputTail,
        bridgeExitCode: exitCode,
        phase: 'conversion',
        category: 'connector',
        descriptionKey: 'ConnectorFailed',
        description: 'The connector program reported a failure; see details for the end of its error output.',
        canUserFix: false,
      }),
      retryable,
    ),
  programTimeout: (timeoutMs: number, outputTail: string) =>
    new ConnectorFailure(
      taskError({
        errorCode: 'TWINSYNC_CONNECTOR_TIMEOUT',
        message: `The connector program did not finish within ${timeoutMs} ms and was stopped.`,
        details: outputTail,
        phase: 'conversion',
        category: 'timeout',
        descriptionKey: 'ConnectorTimedOut',
        description: 'The connector program took longer than its configured time limit.',
        canUserFix: false,
      }),
    ),
};
