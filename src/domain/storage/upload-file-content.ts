import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { nowIso } from '../clock.js';
import { ApiError, errors } from '../errors.js';
import { partialUploadPath, stagedPath, uploadsDir } from './blobs.js';
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
 * upload still open. The body streams to a `.partial` file in DATA_DIR while it is hashed and
 * counted, never held in memory; only a whole body is renamed to a staged file and recorded, so a
 * dropped connection or an oversized body leaves the previous content (and any earlier upload of
 * the same version) as it was. A later PUT of the same URL replaces an earlier one, as in Azure.
 */
export async function uploadFileContent(storage: StorageContext, request: UploadRequest, slots: UploadSlots): Promise<UploadedContent> {
  if (request.blobType !== undefined && request.blobType.toLowerCase() !== 'blockblob') throw errors.invalidBlobType();
  const { version, release } = await openUploadBody(storage, request, slots);
  try {
    const stored = await stageContent(storage, request.fileId, version, await receiveBody(storage, request.body));
    // A whole blob replaces the block list, committed and not (as Put Blob does in Azure).
    await discardBlocks(storage.dataDir, request.fileId, version);
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

/** A body received whole into a `.partial` file, with its size and SHA-256. */
export interface ReceivedBody {
  partial: string;
  size: number;
  hash: string;
}

/** Renames a whole body to a staged file and records it as the upload's content. */
export async function stageContent(storage: StorageContext, fileId: string, version: number, received: ReceivedBody): Promise<UploadedContent> {
  const stagedName = `${fileId}.${version}.${randomBytes(8).toString('hex')}`;
  await fs.promises.rename(received.partial, stagedPath(storage.dataDir, stagedName)).catch((error: unknown) => {
    // The bytes went to a file that was removed while they arrived (writing to it does not fail):
    // swept as abandoned, or removed by hand. Nothing to store; the client sends it again.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw errors.uploadDiscarded();
    throw error;
  });

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
    await fs.promises.rm(stagedPath(storage.dataDir, stagedName), { force: true });
    throw outcome.error;
  }
  if (outcome.replaced) await fs.promises.rm(stagedPath(storage.dataDir, outcome.replaced), { force: true });
  return { size: received.size, contentHash: received.hash };
}

/** Streams a body into a new `.partial` file in DATA_DIR, hashed and counted, never held in memory. */
export async function receiveBody(storage: StorageContext, body: Readable): Promise<ReceivedBody> {
  await fs.promises.mkdir(uploadsDir(storage.dataDir), { recursive: true });
  const partial = partialUploadPath(storage.dataDir);
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
  try {
    await pipeline(body, meter, fs.createWriteStream(partial, { flags: 'wx' }));
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    if (tooLarge) throw errors.payloadTooLarge(storage.uploadLimitBytes);
    // A time limit (plugins/client-timeouts.ts) stopped the body: its own answer, 408.
    if (error instanceof ApiError) throw error;
    // DATA_DIR is full: the writing failed, not the client (which pipeline's cleanup also destroyed).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw errors.insufficientStorage();
    // The client went away or the body ended early: there is nobody left to answer, but say so.
    if (body.destroyed || (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' || (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
      throw errors.incompleteUpload();
    }
    throw error;
  }
  return { partial, size, hash: hash.digest('hex') };
}
