import fs from 'node:fs';
import path from 'node:path';

/**
 * Where an iModel's versions live when a builtin connector writes them: one Snapshot iModel per
 * version, `<DATA_DIR>/imodels/<iModelId>/checkpoints/<changesetIndex>.bim` (0 is the empty
 * baseline). A version is written once, from the previous one, and never changed again; it is
 * served as the checkpoint of its changeset (docs/versions.md). iModel ids are GUIDs, safe as
 * file names.
 *
 * Earlier versions of twinsync kept one standalone iModel per iModel, `<DATA_DIR>/imodels/<id>.bim`;
 * those files are removed at start (sweepOrphanIModelFiles) and their content synchronized again.
 */
export function imodelsDir(dataDir: string): string {
  return path.resolve(dataDir, 'imodels');
}

/** The folder of one iModel's checkpoints, under an imodelsDir. */
export function checkpointsDirIn(dir: string, iModelId: string): string {
  return path.join(dir, iModelId, 'checkpoints');
}

/** The checkpoint of the changeset with this index (0: the baseline), under an imodelsDir. */
export function checkpointFileIn(dir: string, iModelId: string, changesetIndex: number): string {
  return path.join(checkpointsDirIn(dir, iModelId), `${changesetIndex}.bim`);
}

/**
 * The key of a checkpoint in the blob store (src/domain/blob-store.ts). With the local store it is
 * the file checkpointFileIn names under DATA_DIR; with an object store that file is this machine's
 * cached copy of the blob, which is the truth.
 */
export function checkpointKey(iModelId: string, changesetIndex: number): string {
  return `imodels/${iModelId}/checkpoints/${changesetIndex}.bim`;
}

/** Every blob of an iModel's versions. */
export function imodelBlobsPrefix(iModelId: string): string {
  return `imodels/${iModelId}/`;
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

/**
 * Removes what an iModel has in the iModels folder: its folder of checkpoints, and a standalone
 * file of an earlier twinsync with whatever SQLite kept beside it (`-journal`, `-wal`, `-shm`).
 */
export async function removeIModelFile(dataDir: string, iModelId: string, entries?: readonly string[]): Promise<void> {
  const legacy = `${iModelId}.bim`;
  const names = (entries ?? (await imodelsDirEntries(dataDir))).filter((n) => n === iModelId || n === legacy || n.startsWith(`${legacy}-`));
  await Promise.all(names.map((n) => fs.promises.rm(path.join(imodelsDir(dataDir), n), { recursive: true, force: true })));
}
