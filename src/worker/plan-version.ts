import path from 'node:path';
import type { PlannedChangeset } from '../connectors/connector.js';
import { checkpointFileIn, checkpointKey, imodelsDir } from '../domain/imodels/imodel-file.js';
import type { QueuedRun, RunTask, TaskStart } from '../domain/runs/model.js';
import { changesetIdOf } from '../domain/versions/model.js';
import type { WorkerContext } from './context.js';

export interface PlannedVersion {
  changeset: PlannedChangeset;
  /** Only for connectors that write version files. */
  checkpoint?: { base: string | null; target: string; iTwinId: string };
}

/**
 * The version a task makes if it succeeds: the changeset after the iModel's latest one (`latest`,
 * read with the task's start), and where a connector that writes files puts it (from the latest
 * version that has a file). Read before the connector runs and outside any transaction: only the one active run of an iModel appends
 * changesets, and it does so one task at a time, so nothing moves the latest changeset meanwhile;
 * the store's unique keys refuse the append if something did anyway. A connector that writes no
 * files (emulated ones) costs no read here: the runs benchmark measures what a task costs the store.
 * A connector that writes files gets the version it starts from as a file of this machine: with an
 * object store, a copy kept under DATA_DIR/imodels (reused while it is the same size).
 */
export async function planVersion(
  ctx: WorkerContext,
  run: QueuedRun,
  task: RunTask,
  latest: TaskStart['latest'],
  writesFiles: boolean,
): Promise<PlannedVersion> {
  const imodel = writesFiles ? await ctx.store.imodels.find(run.iModelId) : undefined;
  const index = (latest?.index ?? 0) + 1;
  const changeset = { id: changesetIdOf(run.iModelId, index, task.id), index, parentId: latest?.id ?? '' };
  if (!writesFiles) return { changeset };
  const base = latest ? await ctx.store.versions.checkpointAtOrBefore(run.iModelId, latest.index) : undefined;
  const dir = imodelsDir(ctx.dataDir);
  // The version to start from, as a file of this machine (a copy of the blob with an object store).
  // No version with a file yet: the connector starts from an empty snapshot.
  let baseFile: string | null = null;
  if (base && base.changesetIndex > 0) {
    const local = checkpointFileIn(dir, run.iModelId, base.changesetIndex);
    baseFile = (await ctx.blobs.localFile(checkpointKey(run.iModelId, base.changesetIndex), local)) ?? null;
    // Recorded with a file but no blob: lost outside twinsync. Starting from empty would drop what
    // earlier versions brought; the task fails (and is retried) instead.
    if (baseFile === null) throw new Error(`the checkpoint of changeset ${base.changesetIndex} of iModel ${run.iModelId} is missing from the blob store`);
  }
  return {
    changeset,
    checkpoint: {
      base: baseFile,
      target: path.resolve(checkpointFileIn(dir, run.iModelId, index)),
      // An iModel deleted under a running task: its run is gone too, and the commit will say so.
      iTwinId: imodel?.iTwinId ?? '',
    },
  };
}
