import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import type { Store } from '../store.js';
import { connectionForCaller } from './access.js';
import { RunResult } from '../runs/model.js';
import { jobCompleted } from '../webhooks/events.js';

/**
 * Deletes the connection with its source files (whose storage files may then be mapped again) and
 * its runs; an active run is cancelled first, so the worker running it stops at its next step.
 */
export async function deleteStorageConnection(store: Store, caller: Caller, id: string): Promise<void> {
  await store.write(async (tx) => {
    const connection = await connectionForCaller(tx, caller, id, 'imodels_write');
    const endedAt = nowIso();
    // Its active run ends Cancelled and its webhooks are told, but only for a run this update ended:
    // a worker may have completed it (with its own event) since anything here read it.
    for (const run of await tx.runs.cancelActiveOf(connection.id, endedAt)) {
      await tx.webhooks.record(jobCompleted(run, RunResult.Cancelled, endedAt), Date.parse(endedAt));
    }
    await tx.connections.delete(connection.id);
  });
}
