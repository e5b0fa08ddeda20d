import type { StorageConnection } from '../../domain/storage-connections/model.js';

export function connectionUrl(publicUrl: string, id: string): string {
  return `${publicUrl}/synchronization/imodels/storageconnections/${id}`;
}

export function runUrl(publicUrl: string, connectionId: string, runId: string): string {
  return `${connectionUrl(publicUrl, connectionId)}/runs/${runId}`;
}

/** The connection as the API shows it: absolute links built from PUBLIC_URL. */
export function presentConnection(publicUrl: string, c: StorageConnection) {
  const links: { iModel: { href: string }; iTwin: { href: string }; lastRun?: { href: string } } = {
    iModel: { href: `${publicUrl}/imodels/${c.iModelId}` },
    iTwin: { href: `${publicUrl}/itwins/${c.iTwinId}` },
  };
  if (c.lastRunId) links.lastRun = { href: runUrl(publicUrl, c.id, c.lastRunId) };
  return {
    id: c.id,
    displayName: c.displayName,
    iModelId: c.iModelId,
    iTwinId: c.iTwinId,
    authenticationType: c.authenticationType,
    _links: links,
  };
}
