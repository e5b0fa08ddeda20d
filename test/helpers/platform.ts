import type { Harness } from './harness.js';
import { PUBLIC_URL } from './harness.js';

/**
 * Requests to the platform operations (iTwins, iModels, Storage, access control) through the real
 * app, as one user. Bodies given as objects are sent as JSON; strings and Buffers as they are.
 */
export interface Client {
  token: string;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  get(url: string, headers?: Record<string, string>): Promise<Response>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  patch(url: string, body?: unknown): Promise<Response>;
  delete(url: string): Promise<Response>;
}

/** A light stand-in for fetch's Response over inject: status, headers and the parsed body. */
export interface Response {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json(): any;
}

export async function clientFor(h: Harness, subject: string, scopes: string[] = ['itwin-platform']): Promise<Client> {
  const token = await h.token(subject, scopes);
  const request = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> => {
    const all: Record<string, string> = { authorization: `Bearer ${token}`, ...headers };
    let payload: string | Buffer | undefined;
    if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && !Object.keys(all).some((k) => k.toLowerCase() === 'content-type')) all['content-type'] = 'application/json';
    const res = await h.app.inject({ method: method as 'GET', url: relative(url), headers: all, payload });
    return { status: res.statusCode, headers: res.headers, body: res.body, json: () => JSON.parse(res.body) };
  };
  return {
    token,
    request,
    get: (url, headers) => request('GET', url, undefined, headers),
    post: (url, body, headers) => request('POST', url, body, headers),
    patch: (url, body) => request('PATCH', url, body),
    delete: (url) => request('DELETE', url),
  };
}

/** Hrefs are absolute on PUBLIC_URL; inject wants the path. */
export function relative(url: string): string {
  return url.startsWith(PUBLIC_URL) ? url.slice(PUBLIC_URL.length) : url;
}

export async function newITwin(c: Client, displayName = 'An iTwin'): Promise<{ id: string; rootFolderId: string }> {
  const created = await c.post('/itwins', { displayName, class: 'Endeavor', subClass: 'Project' });
  if (created.status !== 201) throw new Error(`create iTwin: ${created.status} ${created.body}`);
  const id = created.json().iTwin.id as string;
  const top = await c.get(`/storage/?iTwinId=${id}`);
  return { id, rootFolderId: (top.json()._links.folder.href as string).split('/').pop()! };
}

let iModelCount = 0;
export async function newIModel(c: Client, iTwinId: string, name = `iModel ${++iModelCount}`): Promise<string> {
  const created = await c.post('/imodels', { iTwinId, name });
  if (created.status !== 201) throw new Error(`create iModel: ${created.status} ${created.body}`);
  return created.json().iModel.id;
}

export interface Links {
  uploadUrl: string;
  completeUrl: string;
}

export async function createFile(c: Client, folderId: string, displayName = 'model.ifc'): Promise<{ id: string; links: Links }> {
  const created = await c.post(`/storage/folders/${folderId}/files`, { displayName });
  if (created.status !== 202) throw new Error(`create file: ${created.status} ${created.body}`);
  const links = { uploadUrl: created.json()._links.uploadUrl.href, completeUrl: created.json()._links.completeUrl.href };
  return { id: links.completeUrl.split('/')[5]!, links };
}

/** PUT to a signed URL the way clients do: no bearer token. */
export async function upload(h: Harness, uploadUrl: string, content: Buffer | string, headers: Record<string, string> = { 'x-ms-blob-type': 'BlockBlob' }) {
  return h.app.inject({ method: 'PUT', url: relative(uploadUrl), headers, payload: content });
}

/** create → upload → complete: a file usable as a source file. */
export async function completedFile(
  h: Harness,
  c: Client,
  folderId: string,
  displayName = 'model.ifc',
  content: Buffer | string = `content of ${displayName}`,
): Promise<string> {
  const file = await createFile(c, folderId, displayName);
  const put = await upload(h, file.links.uploadUrl, content);
  if (put.statusCode !== 201) throw new Error(`upload: ${put.statusCode} ${put.body}`);
  const done = await c.post(file.links.completeUrl);
  if (done.status !== 200) throw new Error(`complete: ${done.status} ${done.body}`);
  return file.id;
}
