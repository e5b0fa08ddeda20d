import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobInfo, BlobStore, ListedBlob } from '../domain/blob-store.js';
import { abandonedAtStart, OWNER } from './partial-owner.js';

/** Azure keeps an uncommitted block for a week. */
const UNCOMMITTED_BLOCK_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/**
 * The embedded default: blobs are files under one folder (DATA_DIR), a key its relative path. A
 * write streams to a temporary `.partial` file in `uploads/` and is renamed onto its key once
 * whole: the same file system, so the rename is atomic and a reader (even one that opened the old
 * file before) never sees half a blob.
 */
export class LocalBlobStore implements BlobStore {
  readonly description: string;

  constructor(readonly root: string) {
    this.root = path.resolve(root);
    this.description = `folder ${this.root}`;
  }

  /** The file of a key. Keys are made by the domain from ids; one that climbs out is a bug. */
  pathOf(key: string): string {
    const file = path.resolve(this.root, key);
    if (!file.startsWith(`${this.root}${path.sep}`)) throw new Error(`blob key outside the store: ${key}`);
    return file;
  }

  private temporaryPath(): string {
    // In uploads/ (never removed as empty: a top-level folder), named for its owner (partial-owner.ts).
    return path.join(this.root, 'uploads', `${OWNER}~${randomBytes(12).toString('hex')}.partial`);
  }

  async put(key: string, body: Readable | Buffer): Promise<void> {
    const target = this.pathOf(key);
    if (Buffer.isBuffer(body) && body.length <= SMALL_BLOB) return this.putSmall(target, body);
    const temporary = this.temporaryPath();
    try {
      // A larger buffer in one write, the folder made only if it is missing.
      if (Buffer.isBuffer(body)) await inFolder(temporary, () => fs.promises.writeFile(temporary, body, { flag: 'wx' }));
      else {
        await fs.promises.mkdir(path.dirname(temporary), { recursive: true });
        await pipeline(body, fs.createWriteStream(temporary, { flags: 'wx' }));
      }
      await this.moveInto(temporary, target);
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
  }

  /**
   * A few kilobytes (a task's report, a small JSON) written and renamed without leaving the thread:
   * four thread-pool round trips (open, write, close, rename) cost more than the work itself, which
   * takes tens of microseconds. Same steps and guarantees as a larger put.
   */
  private putSmall(target: string, body: Buffer): void {
    const temporary = this.temporaryPath();
    try {
      inFolderSync(temporary, () => fs.writeFileSync(temporary, body, { flag: 'wx' }));
      inFolderSync(target, () => fs.renameSync(temporary, target));
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      throw error;
    }
  }

  /**
   * Renames onto `target`, making its folder when the rename finds it missing; again if a delete
   * removed the folder in between. Trying the rename first spares a folder that exists (most do)
   * the three system calls of a recursive mkdir.
   */
  private moveInto(from: string, target: string): Promise<void> {
    return inFolder(target, () => fs.promises.rename(from, target));
  }

  /**
   * An object store has no folders: once its last blob goes, a folder goes too (DATA_DIR would
   * otherwise keep one empty folder per file and upload ever made). Up to, not including, the
   * top-level folders; a folder not empty (or filled again meanwhile) stays.
   */
  private async removeEmptyFolders(keys: readonly string[]): Promise<void> {
    const folders = new Set(keys.map((key) => path.dirname(this.pathOf(key))));
    for (let folder of folders) {
      while (path.dirname(folder) !== this.root && folder.startsWith(`${this.root}${path.sep}`)) {
        try {
          await fs.promises.rmdir(folder);
        } catch {
          break;
        }
        folder = path.dirname(folder);
      }
    }
  }

  async get(key: string, range?: { start: number; end: number }): Promise<Readable | undefined> {
    // Opened first: a blob replaced or removed after this still reads whole (the old file stays while open).
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.pathOf(key), 'r');
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
    if (range && range.end < range.start) {
      await handle.close();
      return Readable.from([]);
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    try {
      const stat = await fs.promises.stat(this.pathOf(key));
      return stat.isFile() ? { size: stat.size, modifiedMs: stat.mtimeMs } : undefined;
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  /** A hard link renamed onto the target: no bytes copied, atomic, and the source may go at once. */
  async copy(from: string, to: string): Promise<boolean> {
    const source = this.pathOf(from);
    // Linked as a temporary file (same file system), then renamed onto the target.
    const temporary = this.temporaryPath();
    await fs.promises.mkdir(path.dirname(temporary), { recursive: true });
    try {
      await fs.promises.link(source, temporary);
    } catch (error) {
      if (missing(error)) return false;
      throw error;
    }
    try {
      await this.moveInto(temporary, this.pathOf(to));
    } catch (error) {
      await fs.promises.rm(temporary, { force: true });
      throw error;
    }
    return true;
  }

  async delete(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => fs.promises.rm(this.pathOf(key), { force: true })));
    await this.removeEmptyFolders(keys);
  }

  async deletePrefix(prefix: string): Promise<void> {
    if (prefix.endsWith('/')) {
      await fs.promises.rm(this.pathOf(prefix.slice(0, -1)), { recursive: true, force: true });
      return;
    }
    const keys: string[] = [];
    for await (const blob of this.list(prefix)) keys.push(blob.key);
    await this.delete(keys);
  }

  async *list(prefix: string): AsyncIterable<ListedBlob> {
    // The folder the prefix names or ends in; everything below it whose key starts with the prefix.
    const slash = prefix.lastIndexOf('/');
    const base = slash < 0 ? '' : prefix.slice(0, slash);
    const start = base === '' ? this.root : this.pathOf(base);
    for await (const file of walk(start)) {
      const key = path.relative(this.root, file).split(path.sep).join('/');
      if (!key.startsWith(prefix) || key.endsWith('.partial') || key.endsWith('.tmp')) continue;
      const stat = await fs.promises.stat(file).catch(() => undefined);
      if (stat?.isFile()) yield { key, size: stat.size, modifiedMs: stat.mtimeMs };
    }
  }

  async localFile(key: string): Promise<string | undefined> {
    return (await this.head(key)) ? this.pathOf(key) : undefined;
  }

  async putFile(key: string, file: string): Promise<void> {
    if (path.resolve(file) === this.pathOf(key)) return;
    await this.put(key, fs.createReadStream(file));
  }

  async downloadUrl(): Promise<string | undefined> {
    return undefined;
  }

  /**
   * `.partial` files in `uploads/`: at start, those of a process of this machine that no longer
   * runs go whatever their age (partial-owner.ts); any idle longer than `idleMs` goes (an upload
   * stalled that long was cut, and one never cut belongs to a dead process). Uncommitted blocks
   * untouched for a week go, as Azure discards them then.
   */
  async sweep(options: { idleMs: number; atStart?: boolean; now?: number }): Promise<number> {
    const now = options.now ?? Date.now();
    const dir = path.join(this.root, 'uploads');
    const names = (await fs.promises.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.partial'));
    let removed = 0;
    for (const name of names) {
      let abandoned = options.atStart === true && abandonedAtStart(name);
      if (!abandoned) {
        const stat = await fs.promises.stat(path.join(dir, name)).catch(() => undefined);
        abandoned = stat !== undefined && now - stat.mtimeMs > options.idleMs;
      }
      if (abandoned) {
        await fs.promises.rm(path.join(dir, name), { force: true });
        removed++;
      }
    }
    const blocks = path.join(dir, 'blocks');
    for (const upload of await fs.promises.readdir(blocks).catch(() => [] as string[])) {
      for (const name of await fs.promises.readdir(path.join(blocks, upload)).catch(() => [] as string[])) {
        if (!name.startsWith('u-')) continue;
        const stat = await fs.promises.stat(path.join(blocks, upload, name)).catch(() => undefined);
        if (stat !== undefined && now - stat.mtimeMs > UNCOMMITTED_BLOCK_LIFETIME_MS) {
          await fs.promises.rm(path.join(blocks, upload, name), { force: true });
          removed++;
        }
      }
    }
    return removed;
  }
}

function missing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function* walk(dir: string): AsyncIterable<string> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (missing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/** The largest buffer put without leaving the thread (putSmall). */
const SMALL_BLOB = 64 * 1024;

/** Whether `attempt` (from 0) failed for a missing folder and may be tried again after making it. */
function folderMissing(error: unknown, attempt: number): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT' && attempt < 3;
}

/**
 * `work` on `file`, again after making `file`'s folder while it finds the folder missing (a delete
 * of the folder's last blob may remove it in between); the folder is made only when needed.
 */
async function inFolder(file: string, work: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!folderMissing(error, attempt)) throw error;
    }
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
  }
}

/** inFolder, synchronous (putSmall). */
function inFolderSync(file: string, work: () => void): void {
  for (let attempt = 0; ; attempt++) {
    try {
      return work();
    } catch (error) {
      if (!folderMissing(error, attempt)) throw error;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }
}
