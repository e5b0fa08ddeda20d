import type { Harness } from './harness.js';
import { createBody, postCreate } from './requests.js';

export const SC = '/synchronization/imodels/storageconnections';

/** A small client over inject: JSON bodies, a bearer token of `subject`, extra headers. */
export async function call(
  h: Harness,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  options: { body?: unknown; subject?: string; scopes?: string[]; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${await h.token(options.subject, options.scopes)}`,
    ...options.headers,
  };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  return h.app.inject({
    method,
    url,
    headers,
    payload: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
}

/** An iTwin of alice with an iModel, `files` completed storage files and one connection holding the first. */
export async function connectionFixture(h: Harness, files = 3) {
  const itwin = await h.itwin();
  const iModelId = await h.imodel(itwin);
  const fileIds: string[] = [];
  for (let i = 0; i < files; i++) fileIds.push(await h.file(itwin, `file-${i}.dgn`));
  const res = await postCreate(h, createBody(iModelId, fileIds.slice(0, 1), { displayName: 'fixture' }));
  if (res.statusCode !== 201) throw new Error(`fixture create failed: ${res.body}`);
  const connection = res.json().connection as { id: string; iModelId: string; iTwinId: string };
  return { itwin, iModelId, fileIds, connection };
}
