export type AuthenticationType = 'User' | 'Service';

/**
 * What a connection synchronizes: files of iTwin Storage (`storage`), or files a manifest names by URL
 * at each run (`manifest`, docs/manifest-connections.md). Both share the connection's fields, runs and
 * configurations; each kind is reached only through its own operations (another kind's id is a 404).
 */
export type ConnectionKind = 'storage' | 'manifest';

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
  kind: ConnectionKind;
}

/** `User` (default) or `Service`, case-insensitive, echoed canonical. */
export function parseAuthenticationType(value: string): AuthenticationType | undefined {
  const lower = value.toLowerCase();
  if (lower === 'user') return 'User';
  if (lower === 'service') return 'Service';
  return undefined;
}
