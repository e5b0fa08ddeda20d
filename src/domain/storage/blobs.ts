import fs from 'node:fs';
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
  await Promise.all(
    staged.filter((name) => ids.has(name.split('.')[0]!)).map((name) => fs.promises.rm(stagedPath(dataDir, name), { force: true })),
  );
}

/**
 * Keeps a file's current and previous content version (a run that started on the previous one may
 * still be reading it) and removes older ones.
 */
export async function pruneOldVersions(dataDir: string, fileId: string, current: number): Promise<void> {
  const dir = path.join(dataDir, 'blobs', fileId);
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.filter((n) => /^\d+$/.test(n) && Number(n) < current - 1).map((n) => fs.promises.rm(path.join(dir, n), { force: true })),
  );
}

/**
 * Removes `.partial` files no upload has written to for an hour: what a killed process left behind.
 * Recent ones may belong to another process sharing DATA_DIR and are left alone.
 */
export async function sweepAbandonedUploads(dataDir: string, now = Date.now()): Promise<number> {
  const dir = uploadsDir(dataDir);
  const names = (await fs.promises.readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.partial'));
  let removed = 0;
  for (const name of names) {
    const stat = await fs.promises.stat(path.join(dir, name)).catch(() => undefined);
    if (stat && now - stat.mtimeMs > 3600_000) {
      await fs.promises.rm(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
