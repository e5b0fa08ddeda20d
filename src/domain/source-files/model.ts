import type { SourceFileWithName } from '../../store/repositories/storage-connections.js';

export interface SourceFile {
  id: string;
  storageFileId: string;
  connectorType: string;
  /** The storage file's display name; once the storage file is gone, the name it had then. */
  lastKnownFileName: string;
}

export function sourceFileFromRow(row: SourceFileWithName): SourceFile {
  return {
    id: row.id,
    storageFileId: row.storage_file_id,
    connectorType: row.connector_type,
    lastKnownFileName: row.display_name ?? row.last_known_file_name ?? '',
  };
}
