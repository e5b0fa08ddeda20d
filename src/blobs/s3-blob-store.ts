import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobInfo, BlobStore, ListedBlob } from '../domain/blob-store.js';
import { copyObject } from './s3-copy.js';
import { codeOf, isMissing, isNotImplemented, statusOf, storeError } from './s3-errors.js';

/** Where an S3-compatible store is and how to reach it (BLOB_STORE_URL and the S3_* settings). */
export interface S3Settings {
  bucket: string;
  /** Keys are stored under it; '' for the bucket's root. Slashes at its ends are ignored. */
  prefix: string;
  /** For stores other than AWS (MinIO, Ceph, R2, …); AWS's own endpoint when absent. */
  endpoint?: string;
  region: string;
  /** Both or neither: without them the AWS SDK's own chain (AWS_* variables, instance roles). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Bucket in the path rather than the host name: what most stores other than AWS need. */
  forcePathStyle: boolean;
}

/**
 * A part of a streamed put: 8 MiB, three in flight. lib-storage builds the next part while those
 * are sent (and a part's buffer may keep its predecessor's tail alive), so a put holds about five
 * parts (~40 MiB) at its peak, whatever the body's size: measured, a 200 MB put grows the process
 * by 30 to 65 MB (blob-store-contract.test.ts). Four in flight went past 80 MB. A body of unknown length can have at most 10,000 parts: 78 GiB. A file (putFile) has a
 * known size, and its parts grow with it up to S3's 5 TB.
 */
export const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 3;
const MAX_PARTS = 10_000;

/** DeleteObjects takes at most 1,000 keys. */
const DELETE_BATCH = 1000;

/** A presigned URL lives at most a week (SigV4's limit); asking for more would throw. */
const MAX_URL_TTL_SECONDS = 7 * 24 * 3600;

/** Azure keeps an uncommitted block for a week (the local store's rule, the same keys). */
const UNCOMMITTED_BLOCK_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const UNCOMMITTED_BLOCK = /^uploads\/blocks\/[^/]+\/u-[^/]*$/;

/**
 * Blobs as objects of one bucket, under a prefix. S3 makes every PUT atomic for readers already (an
 * object appears whole when its upload completes, a multipart upload only at Complete), so unlike
 * the local store nothing is staged under another name: a put streams straight to its key, and a
 * put that fails leaves the previous object untouched.
 */
export class S3BlobStore implements BlobStore {
  readonly description: string;
  readonly client: S3Client;
  private readonly bucket: string;
  /** `prefix/` or '': what every object key starts with. */
  private readonly base: string;
  /** False once the store answered that it cannot list multipart uploads (s3rver): sweep stops asking. */
  private multipartListing = true;

  constructor(settings: S3Settings) {
    this.bucket = settings.bucket;
    const prefix = settings.prefix.split('/').filter(Boolean).join('/');
    this.base = prefix === '' ? '' : `${prefix}/`;
    this.description = `s3://${this.bucket}${prefix === '' ? '' : `/${prefix}`} at ${settings.endpoint ?? `AWS S3 (${settings.region})`}`;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials:
        settings.accessKeyId !== undefined && settings.secretAccessKey !== undefined
          ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
          : undefined,
      // Checksums only where S3 requires them: the SDK's default (a CRC32 on every upload, sent as
      // an aws-chunked trailer on streams) is refused by many S3-compatible stores and older versions.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** The object key of a blob key. Keys are made by the domain from ids; a malformed one is a bug. */
  private objectKey(key: string): string {
    if (key === '' || key.startsWith('/') || key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`blob key not valid: ${key}`);
    }
    return this.base + key;
  }

  /** The object key prefix of a blob key prefix ('' for all, a folder ending in `/`). */
  private objectPrefix(prefix: string): string {
    if (prefix.startsWith('/') || prefix.split('/').some((part, i, all) => (part === '' && i < all.length - 1) || part === '.' || part === '..')) {
      throw new Error(`blob key prefix not valid: ${prefix}`);
    }
    return this.base + prefix;
  }

  async put(key: string, body: Readable | Buffer): Promise<void> {
    await this.upload(this.objectKey(key), body, PART_SIZE);
  }

  /**
   * One upload through lib-storage: a single PUT for a body under one part, a multipart upload
   * otherwise. When the body fails, lib-storage aborts the multipart upload (its parts are never
   * seen); it then rejects with the abort's error if the abort fails too (a store without
   * AbortMultipartUpload), so the body's own error, recorded here, is what this rejects with. An
   * upload left unaborted is removed by sweep.
   */
  private async upload(objectKey: string, body: Readable | Buffer, partSize: number): Promise<void> {
    let bodyError: unknown;
    const onBodyError = (error: unknown) => {
      bodyError ??= error;
    };
    if (!Buffer.isBuffer(body)) body.once('error', onBodyError);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: objectKey, Body: body },
      partSize,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // The store failed first: the body is not read any further, and its source is released.
      if (!Buffer.isBuffer(body) && !body.destroyed) body.destroy();
      throw bodyError ?? storeError(error);
    } finally {
      if (!Buffer.isBuffer(body)) body.off('error', onBodyError);
    }
  }

  async get(key: string, range?: { start: number; end: number }): Promise<Readable | undefined> {
    const Key = this.objectKey(key);
    // S3 ignores a range that ends before it starts and answers the whole object: the local store's empty read instead.
    if (range && range.end < range.start) return (await this.head(key)) ? Readable.from([]) : undefined;
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      return answer.Body as Readable;
    } catch (error) {
      if (isMissing(error)) return undefined;
      // 416: the range starts past the end of an object that exists; the local store reads nothing there.
      if (codeOf(error) === 'InvalidRange' || statusOf(error) === 416) return Readable.from([]);
      throw error;
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return { size: answer.ContentLength ?? 0, modifiedMs: answer.LastModified?.getTime() ?? 0 };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Inside the store (CopyObject; UploadPartCopy above 5 GiB, s3-copy.ts): no byte passes through here. */
  async copy(from: string, to: string): Promise<boolean> {
    const source = await this.head(from);
    if (!source) return false;
    try {
      await copyObject(this.client, this.bucket, this.objectKey(from), this.objectKey(to), source.size);
      return true;
    } catch (error) {
      // Removed between the HEAD and the copy.
      if (isMissing(error)) return false;
      throw storeError(error);
    }
  }

  async delete(keys: readonly string[]): Promise<void> {
    const objectKeys = keys.map((key) => this.objectKey(key));
    for (let i = 0; i < objectKeys.length; i += DELETE_BATCH) await this.deleteObjects(objectKeys.slice(i, i + DELETE_BATCH));
  }

  /** One DeleteObjects of up to 1,000 keys. Its answer is 200 even when some keys failed: those are in `Errors`. */
  private async deleteObjects(objectKeys: string[]): Promise<void> {
    if (objectKeys.length === 0) return;
    const answer = await this.client.send(
      new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objectKeys.map((Key) => ({ Key })), Quiet: true } }),
    );
    const failed = (answer.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
    if (failed.length > 0) {
      const first = failed[0]!;
      throw new Error(`the object store did not delete ${failed.length} object(s), e.g. ${first.Key}: ${first.Code} ${first.Message ?? ''}`.trim());
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    // Deleted a page at a time while listing: a listing continues after its last key, whatever went before it.
    let batch: string[] = [];
    for await (const blob of this.list(prefix)) {
      batch.push(this.base + blob.key);
      if (batch.length === DELETE_BATCH) {
        await this.deleteObjects(batch);
        batch = [];
      }
    }
    await this.deleteObjects(batch);
  }

  async *list(prefix: string): AsyncIterable<ListedBlob> {
    const Prefix = this.objectPrefix(prefix);
    let ContinuationToken: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix, ContinuationToken }));
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || !object.Key.startsWith(this.base)) continue;
        yield { key: object.Key.slice(this.base.length), size: object.Size ?? 0, modifiedMs: object.LastModified?.getTime() ?? 0 };
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
  }

  /**
   * Downloaded to a temporary file beside `cachePath`, renamed onto it once whole: a file at
   * `cachePath` is always a complete download, so one of the blob's size is taken as is (keys are
   * written once: a blob of the same key and size is the same blob).
   */
  async localFile(key: string, cachePath: string): Promise<string | undefined> {
    const cached = await fs.promises.stat(cachePath).catch(() => undefined);
    if (cached?.isFile()) {
      const blob = await this.head(key);
      if (!blob) return undefined;
      if (blob.size === cached.size) return cachePath;
    }
    const body = await this.get(key);
    if (!body) return undefined;
    await fs.promises.mkdir(path.dirname(cachePath), { recursive: true });
    const temporary = `${cachePath}.${randomBytes(6).toString('hex')}.download`;
    try {
      await pipeline(body, fs.createWriteStream(temporary, { flags: 'wx' }));
      await fs.promises.rename(temporary, cachePath);
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
    return cachePath;
  }

  /** Streamed from the file, in parts sized so that even a 5 TB file fits in 10,000 of them. */
  async putFile(key: string, file: string): Promise<void> {
    const objectKey = this.objectKey(key);
    const { size } = await fs.promises.stat(file);
    await this.upload(objectKey, fs.createReadStream(file), Math.max(PART_SIZE, Math.ceil(size / MAX_PARTS)));
  }

  /**
   * A presigned GET, so the client downloads from the store, not through the service. The SDK
   * signs locally (no request is made), and the URL carries its own Content-Disposition
   * (response-content-disposition) so a browser saves the blob under `fileName`.
   */
  async downloadUrl(key: string, ttlSeconds: number, fileName?: string): Promise<string | undefined> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      ResponseContentDisposition: fileName === undefined ? undefined : contentDisposition(fileName),
    });
    return getSignedUrl(this.client, command, { expiresIn: Math.max(1, Math.min(Math.ceil(ttlSeconds), MAX_URL_TTL_SECONDS)) });
  }

  /**
   * Multipart uploads under the prefix begun more than `idleMs` ago are aborted (a put that was
   * killed, or whose abort failed: their parts are invisible but stored, and billed, until then),
   * and uncommitted Azure blocks older than a week removed. There are no temporary objects to
   * remove at start: nothing is written under a temporary name. A store that cannot list
   * multipart uploads (s3rver) is asked once; checkBlobStore says so at start.
   */
  async sweep(options: { idleMs: number; atStart?: boolean; now?: number }): Promise<number> {
    const now = options.now ?? Date.now();
    let removed = 0;
    if (this.multipartListing) {
      try {
        removed += await this.abortIdleUploads(now - options.idleMs);
      } catch (error) {
        if (!isNotImplemented(error)) throw error;
        this.multipartListing = false;
      }
    }
    const old: string[] = [];
    for await (const blob of this.list('uploads/blocks/')) {
      if (UNCOMMITTED_BLOCK.test(blob.key) && now - blob.modifiedMs > UNCOMMITTED_BLOCK_LIFETIME_MS) old.push(blob.key);
    }
    await this.delete(old);
    return removed + old.length;
  }

  /** Aborts the multipart uploads under the prefix begun before `before` (ms); how many. */
  private async abortIdleUploads(before: number): Promise<number> {
    let aborted = 0;
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    do {
      const page = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.base, KeyMarker, UploadIdMarker }));
      for (const upload of page.Uploads ?? []) {
        if (upload.Key === undefined || upload.UploadId === undefined || !upload.Initiated || upload.Initiated.getTime() >= before) continue;
        try {
          await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId }));
          aborted++;
        } catch (error) {
          // Completed or aborted by its writer meanwhile.
          if (codeOf(error) !== 'NoSuchUpload') throw error;
        }
      }
      [KeyMarker, UploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
    } while (KeyMarker !== undefined);
    return aborted;
  }

  /**
   * Whether the bucket can be used, and what this store cannot do (for the start's log): HEAD on
   * the bucket, then whether multipart uploads can be listed (what sweep needs).
   */
  async check(): Promise<{ warnings: string[] }> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: AbortSignal.timeout(10_000) });
    const warnings: string[] = [];
    try {
      await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.base, MaxUploads: 1 }));
    } catch (error) {
      if (!isNotImplemented(error)) throw error;
      this.multipartListing = false;
      warnings.push(
        `${this.description} cannot list multipart uploads: uploads cut off midway are not removed by twinsync (give the bucket a rule that aborts incomplete multipart uploads)`,
      );
    }
    return { warnings };
  }
}

/**
 * `attachment` with the name twice: `filename` in ASCII for old clients (anything else replaced),
 * `filename*` (RFC 6266/8187) in UTF-8 for every other.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
