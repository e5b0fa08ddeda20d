import type { Store } from '../store.js';
import { imodelsDirEntries, removeIModelFile } from './imodel-file.js';

/** iModel files are named by a GUID and `.bim`; anything else in the folder (iTwin.js's cache) is not ours to sweep. */
const IMODEL_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.bim$/;

/**
 * Removes the files of iModels that no longer exist: deleting an iModel removes its file, but a
 * worker that lost its lease may still have been converting into it and written it again. Run at
 * start. Safe with other processes on the same DATA_DIR: a file only appears for an iModel that
 * exists, so one whose row is gone is an orphan. Returns how many iModels' files it removed.
 */
export async function sweepOrphanIModelFiles(store: Store, dataDir: string): Promise<number> {
  const entries = await imodelsDirEntries(dataDir);
  const ids = entries.map((n) => IMODEL_FILE.exec(n)?.[1]).filter((id): id is string => id !== undefined);
  const existing = await store.imodels.existingIds(ids);
  const orphans = ids.filter((id) => !existing.has(id));
  for (const id of orphans) await removeIModelFile(dataDir, id, entries);
  return orphans.length;
}
