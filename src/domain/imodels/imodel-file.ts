import fs from 'node:fs';
import path from 'node:path';
import { existingIModelIds } from '../../store/repositories/imodels.js';
import type { Store } from '../../store/store.js';

/**
 * Where an iModel's content lives when a builtin connector writes it: a standalone iTwin.js
 * briefcase, `<DATA_DIR>/imodels/<iModelId>.bim` (docs/connectors.md). iModel ids are GUIDs, safe
 * as file names.
 */
export function imodelsDir(dataDir: string): string {
  return path.resolve(dataDir, 'imodels');
}

export function imodelFile(dataDir: string, iModelId: string): string {
  return path.join(imodelsDir(dataDir), `${iModelId}.bim`);
}

/** Removes an iModel's file and whatever SQLite kept beside it (`-journal`, `-wal`, `-shm`); none is fine. */
export async function removeIModelFile(dataDir: string, iModelId: string): Promise<void> {
  const dir = imodelsDir(dataDir);
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const base = `${iModelId}.bim`;
  await Promise.all(names.filter((n) => n === base || n.startsWith(`${base}-`)).map((n) => fs.promises.rm(path.join(dir, n), { force: true })));
}

/** iModel files are named by a GUID and `.bim`; anything else in the folder (iTwin.js's cache) is not ours to sweep. */
const IMODEL_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.bim$/;

/**
 * Removes the files of iModels that no longer exist: deleting an iModel removes its file, but a
 * worker that lost its lease may still have been converting into it and written it again. Run at
 * start. Safe with other processes on the same DATA_DIR: a file only appears for an iModel that
 * exists, so one whose row is gone is an orphan. Returns how many iModels' files it removed.
 */
export async function sweepOrphanIModelFiles(store: Store, dataDir: string): Promise<number> {
  let names: string[];
  try {
    names = await fs.promises.readdir(imodelsDir(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const ids = names.map((n) => IMODEL_FILE.exec(n)?.[1]).filter((id): id is string => id !== undefined);
  const existing = await existingIModelIds(store.db, ids);
  const orphans = ids.filter((id) => !existing.has(id));
  for (const id of orphans) await removeIModelFile(dataDir, id);
  return orphans.length;
}
