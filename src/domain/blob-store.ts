import type { Readable } from 'node:stream';

/**
 * Where everything with bytes lives: storage file content, uploads in progress, checkpoints,
 * reports. Two implementations (src/blobs): a local folder (the embedded default, DATA_DIR) and
 * any S3-compatible object store, so that several machines can serve what one of them received.
 *
 * Keys are `/`-separated relative paths made by the domain from ids only (never from user
 * input): `blobs/<fileId>/<version>`, `uploads/<staged name>`, `uploads/blocks/<fileId>.<version>/…`,
 * `imodels/<iModelId>/checkpoints/<index>.bim`. The local store maps a key to the same path under
 * DATA_DIR that earlier versions of twinsync used, so an existing DATA_DIR needs no migration.
 *
 * Every write is atomic for readers, as an object store's PUT is: a reader sees the whole old
 * blob or the whole new one, never a part; a write that fails (a body cut short, a full disk)
 * leaves the old blob as it was and nothing half-written behind that a later read could see.
 */
export interface BlobStore {
  /** For logs and the banner: `folder /srv/twinsync/data` or `s3://bucket/prefix at http://…`. */
  readonly description: string;

  /**
   * Stores `body` as the blob `key`, replacing any blob of that key once the whole body is stored.
   * Streams: never holds a whole body in memory. Rejects with the body's own error when the body
   * fails (the caller's limit or hash checks throw through it), and with an error whose `code` is
   * `ENOSPC` when the store is full.
   */
  put(key: string, body: Readable | Buffer): Promise<void>;

  /** The blob's bytes, or from `start` to `end` (inclusive); undefined when there is no such blob. */
  get(key: string, range?: { start: number; end: number }): Promise<Readable | undefined>;

  /** Size and last write of a blob; undefined when there is none. */
  head(key: string): Promise<BlobInfo | undefined>;

  /** Copies a blob to another key (replacing it); false when `from` does not exist. */
  copy(from: string, to: string): Promise<boolean>;

  /** Removes these blobs; missing ones are not an error. */
  delete(keys: readonly string[]): Promise<void>;

  /** Removes every blob whose key starts with `prefix` (a folder: end it with `/`). */
  deletePrefix(prefix: string): Promise<void>;

  /** The blobs whose key starts with `prefix`, in no particular order. */
  list(prefix: string): AsyncIterable<ListedBlob>;

  /**
   * A file on this machine's disk holding the blob's bytes, for programs that read files
   * (connectors, iTwin.js). The local store answers the blob's own path and ignores `cachePath`;
   * an object store downloads the blob to `cachePath` (unless a complete copy of the same size is
   * there already) and answers that. Undefined when there is no such blob.
   */
  localFile(key: string, cachePath: string): Promise<string | undefined>;

  /**
   * Stores a file of this machine as the blob `key`. The local store moves nothing when `file` is
   * the blob's own path (what `localFile` answered); otherwise the file is copied, never moved.
   */
  putFile(key: string, file: string): Promise<void>;

  /**
   * A URL from which a client may download the blob directly for `ttlSeconds`, as `fileName` when
   * given; undefined when the store has no such URLs (the local folder) and the blob must be
   * streamed by the service.
   */
  downloadUrl(key: string, ttlSeconds: number, fileName?: string): Promise<string | undefined>;

  /**
   * Removes what failed or abandoned writes left behind: temporary files of killed processes (at
   * start) or idle longer than `idleMs`, unfinished multipart uploads older than `idleMs`, and
   * uncommitted blocks (`uploads/blocks/*\/u-*`) older than a week, as Azure keeps them. Returns
   * how many it removed.
   */
  sweep(options: { idleMs: number; atStart?: boolean; now?: number }): Promise<number>;
}

export interface BlobInfo {
  size: number;
  modifiedMs: number;
}

export interface ListedBlob extends BlobInfo {
  key: string;
}

/** A store full (`ENOSPC`/`EDQUOT` from a disk, or an object store's quota): the service's fault, 507. */
export function isStoreFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
