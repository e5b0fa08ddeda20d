import type { ConnectionKind, StorageConnection } from '../../domain/storage-connections/model.js';

/** Where each kind of connection lives (the lower-case paths: the current clients' spelling). */
const COLLECTION: Record<ConnectionKind, string> = {
  storage: '/synchronization/imodels/storageconnections',
  manifest: '/synchronization/imodels/manifestconnections',
};

export function connectionUrl(publicUrl: string, id: string, kind: ConnectionKind = 'storage'): string {
  return `${publicUrl}${COLLECTION[kind]}/${id}`;
}

export function runUrl(publicUrl: string, connectionId: string, runId: string, kind: ConnectionKind = 'storage'): string {
  return `${connectionUrl(publicUrl, connectionId, kind)}/runs/${runId}`;
}

/** The connection as the API shows it: absolute links built from PUBLIC_URL, lastRun under its own kind's path. */
export function presentConnection(publicUrl: string, c: StorageConnection) {
  const links: { iModel: { href: string }; iTwin: { href: string }; lastRun?: { href: string } } = {
    iModel: { href: `${publicUrl}/imodels/${c.iModelId}` },
    iTwin: { href: `${publicUrl}/itwins/${c.iTwinId}` },
  };
  if (c.lastRunId) links.lastRun = { href: runUrl(publicUrl, c.id, c.lastRunId, c.kind) };
  return {
    id: c.id,
    displayName: c.displayName,
    iModelId: c.iModelId,
    iTwinId: c.iTwinId,
    authenticationType: c.authenticationType,
    _links: links,
  };
}
