import type { Store } from '../store.js';
import { imodelsDirEntries, removeIModelFile } from './imodel-file.js';

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** An iModel's folder of versions: named by its GUID. Anything else (iTwin.js's cache) is not ours to sweep. */
const IMODEL_FOLDER = new RegExp(`^(${GUID})$`);
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
 * Returns how many iModels lost files.
 */
export async function sweepOrphanIModelFiles(store: Store, dataDir: string): Promise<number> {
  const entries = await imodelsDirEntries(dataDir);
  const folders = entries.map((n) => IMODEL_FOLDER.exec(n)?.[1]).filter((id): id is string => id !== undefined);
  const legacy = new Set(entries.map((n) => LEGACY_FILE.exec(n)?.[1]).filter((id): id is string => id !== undefined));
  const existing = await store.imodels.existingIds(folders);
  const orphans = new Set([...folders.filter((id) => !existing.has(id)), ...legacy]);
  for (const id of orphans) await removeIModelFile(dataDir, id, existing.has(id) ? entries.filter((n) => n !== id) : entries);
  return orphans.size;
}
