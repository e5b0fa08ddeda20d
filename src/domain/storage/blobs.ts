import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/** Where the content of a storage file version lives: DATA_DIR/blobs/<fileId>/<version>. */
export function blobPath(dataDir: string, fileId: string, version: number): string {
  return path.join(dataDir, 'blobs', fileId, String(version));
}

/** Writes a whole blob (small content known up front; streamed uploads have their own path). */
export function writeBlob(dataDir: string, fileId: string, version: number, content: Buffer): void {
  const target = blobPath(dataDir, fileId, version);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, target);
}

/**
 * Uploads arrive in DATA_DIR/uploads: a body is written to `<random>.partial` while it streams and
 * renamed to `<fileId>.<version>.<random>` (staged) only once whole; `complete` links the staged
 * file to its blob path. The same file system as the blobs, so renames and links are atomic.
 */
export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

export function stagedPath(dataDir: string, stagedName: string): string {
  return path.join(uploadsDir(dataDir), stagedName);
}

/** Everything stored for these files: their blobs and staged uploads. Best effort: a crash leaves garbage, never a wrong answer. */
export async function removeFileContent(dataDir: string, fileIds: readonly string[]): Promise<void> {
  if (fileIds.length === 0) return;
  const ids = new Set(fileIds);
  await Promise.all(fileIds.map((id) => fs.promises.rm(path.join(dataDir, 'blobs', id), { recursive: true, force: true })));
  const staged = await fs.promises.readdir(uploadsDir(dataDir)).catch(() => [] as string[]);
  await Promise.all(staged.filter((name) => ids.has(name.split('.')[0]!)).map((name) => fs.promises.rm(stagedPath(dataDir, name), { force: true })));
  // Blocks of uploads in blocks (upload-blocks.ts): DATA_DIR/uploads/blocks/<fileId>.<version>/.
  const blocks = path.join(uploadsDir(dataDir), 'blocks');
  const uploads = await fs.promises.readdir(blocks).catch(() => [] as string[]);
  await Promise.all(
    uploads.filter((name) => ids.has(name.split('.')[0]!)).map((name) => fs.promises.rm(path.join(blocks, name), { recursive: true, force: true })),
  );
}

/**
 * Keeps a file's current and previous content version (a run that started on the previous one may
 * still be reading it) and removes older ones.
 */
export async function pruneOldVersions(dataDir: string, fileId: string, current: number): Promise<void> {
  const dir = path.join(dataDir, 'blobs', fileId);
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => /^\d+$/.test(n) && Number(n) < current - 1).map((n) => fs.promises.rm(path.join(dir, n), { force: true })));
}

/**
 * Who writes a `.partial` file: this machine and this process, in its name. DATA_DIR may be shared
 * by several processes (the scale-out recipe runs two API processes on one machine), so a process
 * starting up must not remove another live process's upload in progress; the name says whose it is.
 * The host name is part of it because processes in containers sharing a volume see each other's
 * process ids as meaningless (every container may have a pid 1).
 */
const OWNER = `${hostname().replace(/[^A-Za-z0-9-]/g, '_')}~${process.pid}`;

/** Where an upload in progress streams its body: DATA_DIR/uploads/<host>~<pid>~<random>.partial. */
export function partialUploadPath(dataDir: string): string {
  return path.join(uploadsDir(dataDir), `${OWNER}~${randomBytes(12).toString('hex')}.partial`);
}

/** True when `pid` is a live process of this machine (EPERM: alive, someone else's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The name partialUploadPath gives: `<host>~<pid>~<random hex>.partial`. */
const PARTIAL_NAME = /^([A-Za-z0-9_-]+)~(\d+)~[0-9a-f]+\.partial$/;

/**
 * At start, a `.partial` file written by a process of this machine that no longer runs (or by an
 * earlier process with our own id, after a restart in a container) can have no writer: it goes,
 * whatever its age. So does one whose name is not of the current form: earlier versions named them
 * `<random>.partial`, with no owner to ask, and no process of this version writes such a name. One of
 * another host, or of a live process, is left to the idle rule.
 */
function abandonedAtStart(name: string): boolean {
  const match = PARTIAL_NAME.exec(name);
  if (!match) return true;
  const [, host, pid] = match as unknown as [string, string, string];
  if (`${host}~${pid}` === OWNER) return true;
  if (host !== OWNER.split('~')[0]) return false;
  return !alive(Number(pid));
}

/** Azure keeps an uncommitted block for a week. */
const UNCOMMITTED_BLOCK_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export interface SweepOptions {
  /** A `.partial` file not written to for longer than this is abandoned (the upload idle time limit). */
  idleMs: number;
  /** At start: also every file whose writing process is gone, whatever its age. */
  atStart?: boolean;
  now?: number;
}

/**
 * Removes `.partial` files no upload is writing any more: those of a killed process (at start), and
 * those idle for longer than the upload idle time limit (an upload stalled that long was cut, and
 * one that was never cut belongs to a process that died). Staged files are recorded in the store
 * and stay.
 */
export async function sweepAbandonedUploads(dataDir: string, options: SweepOptions): Promise<number> {
  const now = options.now ?? Date.now();
  const dir = uploadsDir(dataDir);
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
  // Uncommitted blocks (upload-blocks.ts) untouched for a week go, as Azure discards them then.
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

/**
 * While the service runs: sweeps every half idle limit (at most every minute). Returns the function
 * that stops it. A failed sweep is logged and the next one tries again.
 */
export function startUploadSweeper(dataDir: string, idleMs: number, onError: (error: unknown) => void): () => void {
  const timer = setInterval(
    () => {
      sweepAbandonedUploads(dataDir, { idleMs }).catch(onError);
    },
    Math.max(1000, Math.min(60_000, Math.floor(idleMs / 2))),
  );
  timer.unref();
  return () => clearInterval(timer);
}
