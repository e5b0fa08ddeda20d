import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../store.js';
import { checkpointsDirIn, imodelsDir, imodelsDirEntries, removeIModelFile } from './imodel-file.js';

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** An iModel's folder of versions: named by its GUID. Anything else (iTwin.js's cache) is not ours to sweep. */
const IMODEL_FOLDER = new RegExp(`^(${GUID})$`);
/** A version being written (`.<index>.bim.<pid>-<uuid>.tmp`, and SQLite's files beside it). */
const UNFINISHED_VERSION = /^\..+\.tmp(-journal|-wal|-shm)?$/;
/**
 * A converter writes its file continuously; one untouched this long was left by a converter that
 * was killed (SIGKILL leaves no chance to clean up), never one still at work in another process.
 */
const ABANDONED_AFTER_MS = 3600_000;

/** The standalone iModel file of an earlier twinsync, and what SQLite kept beside it. */
const LEGACY_FILE = new RegExp(`^(${GUID})\\.bim(-journal|-wal|-shm)?$`);

/**
 * Run at start, over the iModels folder:
 * - the versions of iModels that no longer exist go: deleting an iModel removes its folder, but a
 *   worker that lost its lease may still have been converting and written into it again. Safe with
 *   other processes on the same DATA_DIR: a folder only appears for an iModel that exists, so one
 *   whose row is gone is an orphan.
 * - standalone iModel files of an earlier twinsync go too, whatever their iModel: twinsync writes
 *   Snapshot iModels only (docs/versions.md), never opens those files, and synchronizes their
 *   content again (migration 0006 forgot what had been synchronized).
 * - versions left half-written by a converter that was killed go, once untouched for an hour.
 * Returns how many iModels lost files.
 */
export async function sweepOrphanIModelFiles(store: Store, dataDir: string): Promise<number> {
  const entries = await imodelsDirEntries(dataDir);
  const folders = entries.map((n) => IMODEL_FOLDER.exec(n)?.[1]).filter((id): id is string => id !== undefined);
  const legacy = new Set(entries.map((n) => LEGACY_FILE.exec(n)?.[1]).filter((id): id is string => id !== undefined));
  const existing = await store.imodels.existingIds(folders);
  const orphans = new Set([...folders.filter((id) => !existing.has(id)), ...legacy]);
  for (const id of orphans) await removeIModelFile(dataDir, id, existing.has(id) ? entries.filter((n) => n !== id) : entries);
  for (const id of existing) await removeAbandonedVersions(checkpointsDirIn(imodelsDir(dataDir), id));
  return orphans.size;
}

async function removeAbandonedVersions(dir: string): Promise<void> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => UNFINISHED_VERSION.test(n))) {
    const file = path.join(dir, name);
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > ABANDONED_AFTER_MS) await fs.promises.rm(file, { force: true });
  }
}
