import type { BlobStore } from '../blob-store.js';

/**
 * The keys of a storage file's bytes in the blob store (src/domain/blob-store.ts). Made from ids
 * only; the local store maps them to the paths under DATA_DIR that earlier versions used.
 */

/** The content of a file version: `blobs/<fileId>/<version>`. */
export function contentKey(fileId: string, version: number): string {
  return `blobs/${fileId}/${version}`;
}

/**
 * A whole body received on an upload URL, before `complete` makes it a version:
 * `uploads/<fileId>.<version>.<random>` (the staged name recorded with the upload).
 */
export function stagedKey(stagedName: string): string {
  return `uploads/${stagedName}`;
}

/** The blocks of an Azure block upload (upload-blocks.ts): `uploads/blocks/<fileId>.<version>/`. */
export function blocksPrefix(fileId: string, version: number): string {
  return `uploads/blocks/${fileId}.${version}/`;
}

/** Everything stored for these files: their versions, staged uploads and blocks. Best effort: a crash leaves garbage, never a wrong answer. */
export async function removeFileContent(blobs: BlobStore, fileIds: readonly string[]): Promise<void> {
  await Promise.all(
    fileIds.flatMap((id) => [blobs.deletePrefix(`blobs/${id}/`), blobs.deletePrefix(`uploads/blocks/${id}.`), blobs.deletePrefix(`uploads/${id}.`)]),
  );
}

/**
 * Keeps a file's current and previous content version (a run that started on the previous one may
 * still be reading it) and removes older ones.
 */
export async function pruneOldVersions(blobs: BlobStore, fileId: string, current: number): Promise<void> {
  const old: string[] = [];
  for await (const blob of blobs.list(`blobs/${fileId}/`)) {
    const version = blob.key.slice(`blobs/${fileId}/`.length);
    if (/^\d+$/.test(version) && Number(version) < current - 1) old.push(blob.key);
  }
  await blobs.delete(old);
}

/**
 * While the service runs: sweeps what failed writes left (BlobStore.sweep) every half upload idle
 * limit (at most every minute). Returns the function that stops it. A failed sweep is logged and
 * the next one tries again.
 */
export function startUploadSweeper(blobs: BlobStore, idleMs: number, onError: (error: unknown) => void): () => void {
  const timer = setInterval(
    () => {
      blobs.sweep({ idleMs }).catch(onError);
    },
    Math.max(1000, Math.min(60_000, Math.floor(idleMs / 2))),
  );
  timer.unref();
  return () => clearInterval(timer);
}
