import type { ManifestSourceFile } from '../../domain/manifest-connections/model.js';
import { connectionUrl } from './storage-connection.js';

export function manifestConnectionUrl(publicUrl: string, id: string): string {
  return connectionUrl(publicUrl, id, 'manifest');
}

export function manifestSourceFileUrl(publicUrl: string, connectionId: string, id: string): string {
  return `${manifestConnectionUrl(publicUrl, connectionId)}/sourcefiles/${id}`;
}

/** `{id, sourceFileId}`, as Bentley shows it. */
export function presentManifestSourceFile(file: ManifestSourceFile) {
  return { id: file.id, sourceFileId: file.sourceFileId };
}
