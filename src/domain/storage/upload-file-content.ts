import { createHash, randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { nowIso } from '../clock.js';
import { ApiError, errors } from '../errors.js';
import { isStoreFull } from '../blob-store.js';
import { stagedKey } from './blobs.js';
import { discardBlocks } from './upload-blocks.js';
import type { StorageContext } from './context.js';
import { BODIES_PER_UPLOAD, type UploadSlots } from './upload-slots.js';

export interface UploadRequest {
  fileId: string;
  /** The signed URL's query parameters, as sent. */
  version?: string;
  expires?: string;
  signature?: string;
  /** `x-ms-blob-type`: Azure clients send BlockBlob; nothing else is a whole-file upload. */
  blobType?: string;
  contentLength?: string;
  body: Readable;
}

export interface UploadedContent {
  size: number;
  contentHash: string;
}

/**
 * PUT to a signed upload URL. Nothing is written unless the URL is genuine, unexpired and its
 * upload still open. The body streams to a staged blob while it is hashed and counted, never held
 * in memory; only a whole body becomes that blob and is recorded, so a
 * dropped connection or an oversized body leaves the previous content (and any earlier upload of
 * the same version) as it was. A later PUT of the same URL replaces an earlier one, as in Azure.
 */
export async function uploadFileContent(storage: StorageContext, request: UploadRequest, slots: UploadSlots): Promise<UploadedContent> {
  if (request.blobType !== undefined && request.blobType.toLowerCase() !== 'blockblob') throw errors.invalidBlobType();
  const { version, release } = await openUploadBody(storage, request, slots);
  try {
    const stagedName = newStagedName(request.fileId, version);
    const received = await receiveBody(storage, request.body, stagedKey(stagedName));
    const stored = await stageContent(storage, request.fileId, version, { stagedName, ...received });
    // A whole blob replaces the block list, committed and not (as Put Blob does in Azure).
    await discardBlocks(storage.blobs, request.fileId, version);
    return stored;
  } finally {
    release();
  }
}

/**
 * What every write to an upload URL checks before it reads a byte: a genuine, unexpired URL whose
 * upload is still open, a declared length within the limit, and a free upload slot for the user the
 * URL was given to (at most UPLOADS_PER_CALLER bodies stream at once: upload-slots.ts). The caller
 * releases the slot once the body is handled.
 */
export async function openUploadBody(
  storage: StorageContext,
  request: Pick<UploadRequest, 'fileId' | 'version' | 'expires' | 'signature' | 'contentLength'>,
  slots: UploadSlots,
): Promise<{ version: number; release: () => void }> {
  const check = storage.signer.verify(request.fileId, request);
  if (!check.ok) throw errors.uploadAuthenticationFailed(check.reason);
  const declared = request.contentLength === undefined ? undefined : Number(request.contentLength);
  if (declared !== undefined && declared > storage.uploadLimitBytes) throw errors.payloadTooLarge(storage.uploadLimitBytes);

  const upload = await storage.store.storage.findUpload(request.fileId, check.version);
  if (!upload) throw errors.fileNotFound(); // the file was deleted since the URL was given
  if (upload.completedAt !== null) throw errors.uploadCompleted();

  const release = slots.take(upload.createdBy, `${request.fileId}.${check.version}`);
  if (!release)
    throw slots.busyUpload(upload.createdBy, `${request.fileId}.${check.version}`)
      ? errors.tooManyUploadBodies(BODIES_PER_UPLOAD)
      : errors.tooManyUploads(slots.perCaller);
  return { version: check.version, release };
}

/** A body received whole into the blob store, with its size and SHA-256. */
export interface ReceivedBody {
  stagedName: string;
  size: number;
  hash: string;
}

/** A new staged name for a body of this upload: `<fileId>.<version>.<random>`. */
export function newStagedName(fileId: string, version: number): string {
  return `${fileId}.${version}.${randomBytes(8).toString('hex')}`;
}

/** Records a staged body as the upload's content, replacing (and removing) the one before it. */
export async function stageContent(storage: StorageContext, fileId: string, version: number, received: ReceivedBody): Promise<UploadedContent> {
  const { stagedName } = received;
  const outcome = await storage.store.write(async (tx) => {
    // Compare-and-set against whatever another PUT of the same version staged meanwhile.
    for (;;) {
      const current = await tx.storage.findUpload(fileId, version);
      if (!current) return { error: errors.fileNotFound() };
      if (current.completedAt !== null) return { error: errors.uploadCompleted() };
      const recorded = await tx.storage.recordUploadedContent(
        { fileId: fileId, version, previous: current.stagedName },
        { stagedName, size: received.size, hash: received.hash, uploadedAt: nowIso() },
      );
      if (recorded) return { replaced: current.stagedName };
    }
  });
  if ('error' in outcome) {
    await storage.blobs.delete([stagedKey(stagedName)]);
    throw outcome.error;
  }
  if (outcome.replaced) await storage.blobs.delete([stagedKey(outcome.replaced)]);
  return { size: received.size, contentHash: received.hash };
}

/**
 * Streams a body into the blob store under `key`, hashed and counted, never held in memory. The
 * blob appears only once the body is whole (BlobStore.put): a body cut short or too large leaves
 * nothing under the key.
 */
export async function receiveBody(storage: StorageContext, body: Readable, key: string): Promise<{ size: number; hash: string }> {
  const hash = createHash('sha256');
  let size = 0;
  let tooLarge = false;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > storage.uploadLimitBytes) {
        tooLarge = true;
        callback(errors.payloadTooLarge(storage.uploadLimitBytes));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  // The body's own failure (a cut connection, a time limit) destroys the meter and, through it,
  // fails the store's write; that failure is what is answered, so this promise's is dropped.
  pipeline(body, meter).catch(() => {});
  try {
    await storage.blobs.put(key, meter);
  } catch (error) {
    if (tooLarge) throw errors.payloadTooLarge(storage.uploadLimitBytes);
    // A time limit (plugins/client-timeouts.ts) stopped the body: its own answer, 408.
    if (error instanceof ApiError) throw error;
    // The store is full: the writing failed, not the client.
    if (isStoreFull(error)) throw errors.insufficientStorage();
    // The write's temporary file vanished under it (a sweep of a stalled upload, an operator): the
    // body was read but nothing kept; the client must send it again.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw errors.uploadDiscarded();
    // The client went away or the body ended early: there is nobody left to answer, but say so.
    const code = (error as NodeJS.ErrnoException).code;
    if (body.destroyed || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'ECONNABORTED') {
      throw errors.incompleteUpload();
    }
    throw error;
  }
  return { size, hash: hash.digest('hex') };
}
