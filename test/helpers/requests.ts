import type { Harness } from './harness.js';

export const CREATE_URL = '/synchronization/imodels/storageconnections';

/** POST a create-connection body (an object is sent as JSON, a string as is). */
export async function postCreate(h: Harness, body: unknown, options: { token?: string | null; headers?: Record<string, string> } = {}) {
  const token = options.token === undefined ? await h.token() : options.token;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return h.app.inject({
    method: 'POST',
    url: CREATE_URL,
    headers,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function createBody(iModelId: string, fileIds: string[], extra: Record<string, unknown> = {}) {
  return { iModelId, sourceFiles: fileIds.map((storageFileId) => ({ storageFileId, connectorType: 'IFC' })), ...extra };
}

export async function countRows(h: Harness) {
  const connections = await h.store.db
    .selectFrom('storage_connections')
    .select((e) => e.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const files = await h.store.db
    .selectFrom('source_files')
    .select((e) => e.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { connections: Number(connections.n), sourceFiles: Number(files.n) };
}
