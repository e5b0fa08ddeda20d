import { post } from './client';
import { paths } from './paths';

/** Files up to this size go in one PUT; larger ones in blocks (Azure's Put Block and Put Block List). */
export const SINGLE_PUT_LIMIT = 8 * 1024 * 1024;
export const BLOCK_SIZE = 4 * 1024 * 1024;
/** Blocks of one upload sent at once (the service takes up to 16 per upload: docs/decisions.md, uploads at once). */
const PARALLEL_BLOCKS = 4;

export interface UploadProgress {
  sent: number;
  total: number;
}

interface UploadLinks {
  _links: { uploadUrl: { href: string }; completeUrl: { href: string } };
}

/**
 * The Storage API's three steps (docs/api-contract.md, Storage): create the file (202 with an upload
 * URL and a complete URL), send the content to the upload URL (signed: no token), complete. Sent
 * with XMLHttpRequest, whose upload events give the progress that fetch does not.
 */
export async function uploadFile(folderId: string, file: File, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<string> {
  const created = await post<UploadLinks>(paths.folderFiles(folderId), { displayName: file.name });
  const { uploadUrl, completeUrl } = created.body._links;
  if (file.size <= SINGLE_PUT_LIMIT) {
    await put(uploadUrl.href, file, { 'x-ms-blob-type': 'BlockBlob' }, (sent) => onProgress({ sent, total: file.size }), signal);
  } else {
    await putBlocks(uploadUrl.href, file, onProgress, signal);
  }
  const completed = await post<{ file: { id: string } }>(completeUrl.href);
  return completed.body.file.id;
}

async function putBlocks(uploadUrl: string, file: File, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<void> {
  const count = Math.ceil(file.size / BLOCK_SIZE);
  // Every block id of one upload has the same length (the service, as Azure, requires it).
  const ids = Array.from({ length: count }, (_, index) => btoa(`block-${String(index).padStart(8, '0')}`));
  const sent = new Array<number>(count).fill(0);
  const report = () => onProgress({ sent: sent.reduce((a, b) => a + b, 0), total: file.size });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const url = new URL(uploadUrl);
      url.searchParams.set('comp', 'block');
      url.searchParams.set('blockid', ids[index]!);
      const blob = file.slice(index * BLOCK_SIZE, Math.min(file.size, (index + 1) * BLOCK_SIZE));
      await put(
        url.href,
        blob,
        {},
        (bytes) => {
          sent[index] = bytes;
          report();
        },
        signal,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_BLOCKS, count) }, worker));
  const list = new URL(uploadUrl);
  list.searchParams.set('comp', 'blocklist');
  const xml = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`;
  await put(list.href, new Blob([xml], { type: 'application/xml' }), { 'content-type': 'application/xml' }, () => {}, signal);
}

/** One PUT with progress; a 429 (too many uploads at once for this user) waits its retry-after and tries again. */
function put(url: string, body: Blob, headers: Record<string, string>, onSent: (bytes: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onSent(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onSent(body.size);
        resolve();
      } else if (xhr.status === 429) {
        const wait = Number(xhr.getResponseHeader('retry-after') ?? '5');
        setTimeout(() => put(url, body, headers, onSent, signal).then(resolve, reject), Math.max(1, wait) * 1000);
      } else {
        reject(new Error(`The upload was refused (HTTP ${xhr.status}): ${messageOf(xhr.responseText)}`));
      }
    };
    xhr.onerror = () => reject(new Error('The upload failed: the connection to the service broke.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

function messageOf(text: string): string {
  try {
    return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
  } catch {
    return text.slice(0, 200);
  }
}
