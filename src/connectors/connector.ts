import type { ChangedElements } from '../domain/changed-elements/model.js';
import type { Settings } from '../domain/configurations/model.js';
import type { ConnectorType } from '../domain/connector-types.js';
import type { ReportData } from '../domain/reports/report-data.js';

/**
 * A connector turns one source file into iModel content. Workers call it once per task attempt;
 * it must be safe to call again for the same task (a worker may die after the connector finished
 * and before its effect was recorded), which is why it gets a per-task output folder.
 */
export interface Connector {
  /** `emulate`, `command` or `builtin`. */
  readonly kind: string;
  /**
   * Whether it may write the new version's iModel file (`checkpoint.target`). Workers only look
   * up the file to start from for those that may: an emulated task then costs one read less.
   */
  readonly writesVersionFiles: boolean;
  /**
   * Whether it reads the connection's resolved configuration (`settings`). Workers read it once
   * per run, at the first task of a connector that does; the others' runs cost no read for it.
   */
  readonly usesSettings: boolean;
  run(input: ConnectorInput): Promise<ConnectorOutcome>;
  /**
   * Ends what the connector keeps between tasks (the builtin IFC connector's converter processes).
   * Called once, when its worker has stopped: no task runs then.
   */
  close?(): Promise<void>;
}

export interface ConnectorInput {
  /** `sync`: bring the file's current content in; `remove`: take out what a deleted source file brought. */
  action: 'sync' | 'remove';
  connectorType: ConnectorType;
  /** The iModel the content goes into. */
  iModelId: string;
  /** The source file (of the storage connection) this task is about: what owns the content. */
  sourceFileId: string;
  storageFileId: string;
  /** The storage file's display name (what file-name patterns match). */
  fileName: string;
  /** The content blob to read (sync only). */
  filePath: string | null;
  /** What the store says the content is: a connector can check the file is whole. */
  size: number;
  contentHash: string | null;
  /** This task's folder, absent or empty: a connector that writes files makes it (output of an earlier attempt is cleared first). */
  outputDir: string;
  /** How many attempts failed before this one. */
  attempt: number;
  /** Aborted when the run times out, is cancelled, or the worker shuts down past its grace period. */
  signal: AbortSignal;
  /**
   * The version this task makes if it succeeds: the changeset it is recorded as when its effect
   * commits. The same on every attempt of the task (its id is derived from the task), so a
   * connector that stamps it into a file writes the same file each time.
   */
  changeset: PlannedChangeset;
  /**
   * For connectors that write iModel files (the builtin IFC connector): the new version is a
   * Snapshot iModel at `target`, made from `base` (the latest version that has a file; null when
   * there is none yet, then from an empty snapshot). Written whole or not at all (write elsewhere,
   * then rename), and never changed after the task commits. Absent for connectors whose
   * `writesVersionFiles` is false.
   */
  checkpoint?: { base: string | null; target: string; iTwinId: string };
  /**
   * The connection's configuration, resolved (connection over iModel over iTwin over defaults) when
   * the run's first task of a connector that uses it started on this worker. Absent for
   * connectors whose `usesSettings` is false.
   */
  settings?: Settings;
  /**
   * A manifest connection's task (docs/manifest-connections.md): the reference files (the manifest's
   * children) downloaded with the file, each a file on this machine. Absent for storage connections.
   */
  references?: readonly ReferenceFile[];
}

/** A reference file of a manifest's source file, downloaded for its task. */
export interface ReferenceFile {
  id: string;
  /** The source file's id, or another reference file's (a reference of a reference). */
  parentId: string;
  name: string;
  relativePath: string | null;
  filePath: string;
  size: number;
  contentHash: string;
}

/** The changeset a task will be recorded as: index from 1, 40 hex digits, parent ('' for the first). */
export interface PlannedChangeset {
  id: string;
  index: number;
  parentId: string;
}

/** `details.synchronizationReport` of a task, as the API documents it. */
export interface SynchronizationReport {
  suggestedAction: 'None' | 'Warning' | 'Error';
  message: string;
  totalErrorsCount: number;
  totalWarningsCount: number;
  totalOtherIssuesCount: number;
}

export interface ConnectorOutcome {
  report: SynchronizationReport;
  /** Extra task details (e.g. `emulated: true`), merged next to the report. */
  details?: Record<string, unknown>;
  /** One line recorded with the iModel change this task applies: the changeset's description. */
  summary?: string;
  /** Set when the connector wrote the checkpoint's `target` file: its size in bytes. */
  checkpoint?: { size: number };
  /**
   * The task's diagnostic report (docs/reports.md): what the connector noticed, issue by issue. The
   * worker adds the context (ids, file, time), stores it and records it with the task's completion.
   */
  diagnostics?: ReportData;
  /**
   * The elements this task's changeset inserted, updated and deleted (docs/changed-elements.md),
   * from a connector that knows them (the builtin IFC connector). The worker stores them and
   * records them with the changeset.
   */
  elementChanges?: ChangedElements;
}

/** The documented task-error shape (all optional there; we fill what we know). */
export interface TaskError {
  errorCode: string;
  message: string;
  details?: string;
  bridgeExitCode?: number;
  system: string;
  phase: string;
  category: string;
  descriptionKey: string;
  description: string;
  kbArticleLink: string;
  canUserFix: boolean;
}

/** A failed attempt. `retryable: false` ends the task at once (e.g. the file is unreadable). */
export class ConnectorFailure extends Error {
  constructor(
    readonly taskError: TaskError,
    readonly retryable = true,
  ) {
    super(taskError.message);
    this.name = 'ConnectorFailure';
  }
}

/** Chooses the connector for a connector type (from configuration). */
export interface ConnectorResolver {
  (type: ConnectorType): Connector;
  /** Closes every connector it made (Connector.close); the worker calls it when it stops. */
  close?(): Promise<void>;
  /** Connector processes running and tasks waiting for one, where their number is limited (process-slots.ts). */
  processes?(): { running: number; waiting: number };
}
