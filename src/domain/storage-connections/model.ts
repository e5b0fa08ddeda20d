import type { StorageConnectionRow } from '../../store/schema.js';

export type AuthenticationType = 'User' | 'Service';

export interface StorageConnection {
  id: string;
  displayName: string;
  iModelId: string;
  iTwinId: string;
  authenticationType: AuthenticationType;
  lastRunId: string | null;
}

export function connectionFromRow(row: StorageConnectionRow): StorageConnection {
  return {
    id: row.id,
    displayName: row.display_name,
    iModelId: row.imodel_id,
    iTwinId: row.itwin_id,
    authenticationType: row.authentication_type as AuthenticationType,
    lastRunId: row.last_run_id,
  };
}

/** `User` (default) or `Service`, case-insensitive, echoed canonical. */
export function parseAuthenticationType(value: string): AuthenticationType | undefined {
  const lower = value.toLowerCase();
  if (lower === 'user') return 'User';
  if (lower === 'service') return 'Service';
  return undefined;
}
