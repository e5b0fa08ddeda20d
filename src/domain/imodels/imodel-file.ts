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

const fileName = (iModelId: string) => `${iModelId}.bim`;

/** The iModel's file in `dir` (an imodelsDir). */
export function imodelFileIn(dir: string, iModelId: string): string {
  return path.join(dir, fileName(iModelId));
}

/** The names in the iModels folder; none before a builtin connector first wrote there. */
export async function imodelsDirEntries(dataDir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(imodelsDir(dataDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Removes an iModel's file and whatever SQLite kept beside it (`-journal`, `-wal`, `-shm`); none is fine. */
export async function removeIModelFile(dataDir: string, iModelId: string, entries?: readonly string[]): Promise<void> {
  const base = fileName(iModelId);
  const names = (entries ?? (await imodelsDirEntries(dataDir))).filter((n) => n === base || n.startsWith(`${base}-`));
  await Promise.all(names.map((n) => fs.promises.rm(path.join(imodelsDir(dataDir), n), { force: true })));
}
