/** Row types of the run tables (migration 0003). */
export interface RunRow {
  id: string;
  connection_id: string;
  imodel_id: string;
  requested_by: string;
  state: string;
  result: string;
  phase: string | null;
  error_key: string | null;
  error_description: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  deadline_ms: number;
  lease_owner: string | null;
  lease_expires_ms: number;
  claims: number;
}

export interface RunJobRow {
  id: string;
  run_id: string;
  connector_type: string;
  state: string;
  result: string;
  started_at: string | null;
  ended_at: string | null;
}

export interface RunTaskRow {
  id: string;
  job_id: string;
  run_id: string;
  position: number;
  action: 'sync' | 'remove';
  source_file_id: string;
  storage_file_id: string;
  file_name: string;
  connector_type: string;
  content_version: number | null;
  content_hash: string | null;
  content_size: number | null;
  state: string;
  result: string;
  retry_attempts: number;
  next_attempt_ms: number;
  started_at: string | null;
  ended_at: string | null;
  /** JSON of the task error shape. */
  error: string | null;
  /** JSON of `details` (synchronizationReport, emulated, …). */
  details: string | null;
  /** The task's diagnostic report (migration 0010): its blob is imodels/<iModelId>/reports/<report_id>.json. */
  report_id: string | null;
}

export interface SyncedFileRow {
  connection_id: string;
  source_file_id: string;
  storage_file_id: string;
  file_name: string;
  connector_type: string;
  content_hash: string;
  run_id: string;
  synced_at: string;
}

export interface UserConsentRow {
  subject: string;
  granted_at: string;
}

/** A consent ticket that has been submitted (single use), kept until the ticket's expiry. */
export interface ConsentTicketUseRow {
  ticket_id: string;
  expires_at: string;
}
