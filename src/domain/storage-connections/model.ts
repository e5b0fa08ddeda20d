export type AuthenticationType = 'User' | 'Service';

export interface StorageConnection {
  id: string;
  displayName: string;
  iModelId: string;
  iTwinId: string;
  authenticationType: AuthenticationType;
  lastRunId: string | null;
  /** Whose consent a `User` connection's runs need. */
  createdBy: string;
  createdAt: string;
}

/** `User` (default) or `Service`, case-insensitive, echoed canonical. */
export function parseAuthenticationType(value: string): AuthenticationType | undefined {
  const lower = value.toLowerCase();
  if (lower === 'user') return 'User';
  if (lower === 'service') return 'Service';
  return undefined;
}
