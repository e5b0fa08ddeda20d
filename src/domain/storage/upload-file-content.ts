import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { nowIso } from '../clock.js';
import { ApiError, errors } from '../errors.js';
import { partialUploadPath, stagedPath, uploadsDir } from './blobs.js';
import type { StorageContext } from './context.js';
import type { UploadSlots } from './upload-slots.js';

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
  const check = storage.signer.verify(request.fileId, request);
  if (!check.ok) throw errors.uploadAuthenticationFailed(check.reason);
  if (request.blobType !== undefined && request.blobType.toLowerCase() !== 'blockblob') throw errors.invalidBlobType();
  const declared = request.contentLength === undefined ? undefined : Number(request.contentLength);
  if (declared !== undefined && declared > storage.uploadLimitBytes) throw errors.payloadTooLarge(storage.uploadLimitBytes);

  const upload = await storage.store.storage.findUpload(request.fileId, check.version);
  if (!upload) throw errors.fileNotFound(); // the file was deleted since the URL was given
  if (upload.completedAt !== null) throw errors.uploadCompleted();

  // At most UPLOADS_PER_CALLER bodies streaming at once per user the URLs were given to (upload-slots.ts).
  const release = slots.take(upload.createdBy);
  if (!release) throw errors.tooManyUploads(slots.perCaller);
  try {
    return await store(storage, request, check.version, await receive(storage, request.body));
  } finally {
    release();
  }
}

/** Renames a whole body to a staged file and records it as the upload's content. */
async function store(
  storage: StorageContext,
  request: UploadRequest,
  version: number,
  received: { partial: string; size: number; hash: string },
): Promise<UploadedContent> {
  const stagedName = `${request.fileId}.${version}.${randomBytes(8).toString('hex')}`;
  await fs.promises.rename(received.partial, stagedPath(storage.dataDir, stagedName)).catch((error: unknown) => {
    // The bytes went to a file that was removed while they arrived (writing to it does not fail):
    // swept as abandoned, or removed by hand. Nothing to store; the client sends it again.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw errors.uploadDiscarded();
    throw error;
  });

  const outcome = await storage.store.write(async (tx) => {
    // Compare-and-set against whatever another PUT of the same version staged meanwhile.
    for (;;) {
      const current = await tx.storage.findUpload(request.fileId, version);
      if (!current) return { error: errors.fileNotFound() };
      if (current.completedAt !== null) return { error: errors.uploadCompleted() };
      const recorded = await tx.storage.recordUploadedContent(
        { fileId: request.fileId, version, previous: current.stagedName },
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

async function receive(storage: StorageContext, body: Readable): Promise<{ partial: string; size: number; hash: string }> {
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
