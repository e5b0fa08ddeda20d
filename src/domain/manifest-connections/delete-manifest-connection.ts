import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { RunResult } from '../runs/model.js';
import type { Store } from '../store.js';
import { jobCompleted } from '../webhooks/events.js';
import { manifestConnectionForCaller } from './access.js';

/**
 * Deletes the connection with its source files and runs (manifests included); an active run is
 * cancelled first, and its webhooks told, as for storage connections (delete-storage-connection.ts).
 */
export async function deleteManifestConnection(store: Store, caller: Caller, id: string): Promise<void> {
  await store.write(async (tx) => {
    const connection = await manifestConnectionForCaller(tx, caller, id, 'imodels_write');
    const endedAt = nowIso();
    // Only for a run this update ended: a worker may have completed it (with its own event) meanwhile.
    for (const run of await tx.runs.cancelActiveOf(connection.id, endedAt)) {
      await tx.webhooks.record(jobCompleted(run, RunResult.Cancelled, endedAt), Date.parse(endedAt));
    }
    await tx.connections.delete(connection.id);
  });
}
