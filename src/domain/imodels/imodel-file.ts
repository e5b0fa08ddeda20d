import fs from 'node:fs';
import path from 'node:path';

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
