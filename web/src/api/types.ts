/** The resources as the service answers them (docs/api-contract.md, /openapi.json): what the page reads of them. */

export interface Link {
  href: string;
}

export interface ITwin {
  id: string;
  displayName: string;
  number?: string;
  class?: string;
  subClass?: string;
  status?: string;
  createdDateTime?: string;
  createdBy?: string;
}

export interface IModel {
  id: string;
  displayName: string;
  name?: string;
  description?: string | null;
  state?: string;
  createdDateTime?: string;
  iTwinId?: string;
}

export interface StorageItem {
  id: string;
  type: 'file' | 'folder';
  displayName: string;
  size?: number;
  path?: string;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  lastModifiedByDisplayName?: string;
}

export interface StorageConnection {
  id: string;
  displayName: string;
  iModelId?: string;
  iTwinId?: string;
  authenticationType?: 'User' | 'Service';
  _links?: { lastRun?: Link };
}

/** A manifest connection's source file: the document system's id of a file, nothing more (its name and URL come with each run). */
export interface ManifestSourceFile {
  id: string;
  sourceFileId: string;
}

/** One file of a run's manifest (docs/manifest-connections.md, The manifest). */
export interface ManifestEntry {
  id: string;
  name: string;
  url: string;
  connectorType: string;
  action: 'bridge' | 'unmap';
}

export interface SourceFile {
  id: string;
  storageFileId: string;
  connectorType?: string;
  lastKnownFileName: string;
}

export interface TaskError {
  errorCode?: string;
  message?: string;
  details?: string;
  bridgeExitCode?: number;
  system?: string;
  phase?: string;
  category?: string;
  descriptionKey?: string;
  description?: string;
  kbArticleLink?: string;
  canUserFix?: boolean;
}

export interface SynchronizationReportCounts {
  suggestedAction?: string;
  message?: string;
  totalErrorsCount?: number;
  totalWarningsCount?: number;
  totalOtherIssuesCount?: number;
}

export interface Task {
  id: string;
  /** A storage connection's task: the storage file it synchronized. */
  storageFileId?: string;
  /** A manifest connection's task: the document system's id of the file (docs/manifest-connections.md). */
  sourceFileId?: string;
  state: string;
  result: string;
  retryAttempts: number;
  startDateTime?: string;
  endDateTime?: string;
  error?: TaskError;
  details?: { synchronizationReport?: SynchronizationReportCounts; emulated?: boolean; [key: string]: unknown };
}

export interface Job {
  id: string;
  connectorType: string;
  state: string;
  result: string;
  startDateTime?: string;
  endDateTime?: string;
  tasks: Task[];
}

export interface RunError {
  errorKey: string;
  description: string;
  kbArticleLink?: string;
}

export interface Run {
  id: string;
  connectionId?: string;
  state: string;
  result: string;
  phase?: string;
  startDateTime?: string;
  endDateTime?: string;
  error?: RunError;
  jobs?: Job[];
}

export interface Changeset {
  id: string;
  index: number;
  description: string;
  pushDateTime: string;
  creatorId: string;
  synchronizationInfo?: { taskId: string; changedFiles: string[] };
  _links?: { namedVersion?: Link | null };
}

export interface NamedVersion {
  id: string;
  displayName: string;
  name?: string;
  description?: string | null;
  changesetId: string | null;
  changesetIndex: number;
  createdDateTime?: string;
  state?: string;
}

export interface DiagnosticReportRef {
  id: string;
  taskId: string;
  sasUri: string;
  createdTimeStamp: string;
}

/** The part of a diagnostic report's content the page shows (docs/reports.md, The format). */
export interface DiagnosticReport {
  context?: { connectorType?: string; connector?: string; result?: string; operationType?: string };
  filerecords?: {
    file?: { identifier?: string; path?: string };
    auditrecords?: {
      auditinfo?: { issueid?: string; level?: string; category?: string; type?: string; message?: string };
      elementinfo?: { sourceid?: string };
    }[];
  }[];
  elementRecords?: { elementids?: string; reason?: string; globalId?: string }[];
  synchronizationReport?: SynchronizationReportCounts;
}

export interface Role {
  id: string;
  displayName: string;
  description: string;
  permissions: string[];
}

export interface Member {
  id: string;
  email: string | null;
  roles?: { id: string; displayName: string }[];
}

export interface Invitation {
  id: string;
  email: string;
  status: string;
  expirationDate: string;
  roles: { id: string; displayName: string }[];
}

/** One state change of a live stream (docs/webhooks.md, Server-sent event streams). */
export interface StateChange {
  kind: 'run' | 'job' | 'task';
  connectionId: string;
  runId: string;
  jobId?: string;
  taskId?: string;
  state: string;
  result: string;
}
