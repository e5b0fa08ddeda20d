import type { SourceFile } from '../../domain/source-files/model.js';
import { connectionUrl } from './storage-connection.js';

export function sourceFileUrl(publicUrl: string, connectionId: string, id: string): string {
  return `${connectionUrl(publicUrl, connectionId)}/sourcefiles/${id}`;
}

/** Minimal (lists by default): id, storageFileId, lastKnownFileName, _links; full adds connectorType. */
export function presentSourceFile(publicUrl: string, file: SourceFile, full = true) {
  const minimal = {
    id: file.id,
    storageFileId: file.storageFileId,
    lastKnownFileName: file.lastKnownFileName,
    _links: { file: { href: `${publicUrl}/storage/files/${file.storageFileId}` } },
  };
  return full ? { ...minimal, connectorType: file.connectorType } : minimal;
}
