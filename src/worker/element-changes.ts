import type { ChangedElements } from '../domain/changed-elements/model.js';
import { elementChangesKey } from '../domain/changed-elements/model.js';
import { newOpaqueId } from '../domain/ids.js';
import type { QueuedRun } from '../domain/runs/model.js';
import type { WorkerContext } from './context.js';

/**
 * Stores the element changes of a task that is about to complete and answers their id, for the
 * statement that records its changeset (as task-report.ts does for its report): the blob first, so
 * a worker that dies before the commit leaves an orphan blob under the iModel's prefix, never a
 * changeset pointing at nothing. A new id per attempt: a worker that lost its lease cannot replace
 * the blob of the one that took the task over. Unlike the report, failing to store them fails the
 * attempt (retried as a crash is): a changeset without its element changes would answer comparisons with
 * less than it changed.
 */
export async function storeElementChanges(ctx: WorkerContext, run: QueuedRun, changes: ChangedElements): Promise<string> {
  const id = newOpaqueId();
  await ctx.blobs.put(elementChangesKey(run.iModelId, id), Buffer.from(JSON.stringify(changes)));
  return id;
}
