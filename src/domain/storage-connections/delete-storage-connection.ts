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
    // The iModel's one active run, if it is this connection's, ends Cancelled: its webhooks are told.
    const active = await tx.runs.findActiveOf(connection.iModelId);
    await tx.runs.cancelActiveOf(connection.id, endedAt);
    if (active?.connectionId === connection.id) {
      await tx.webhooks.record(
        jobCompleted({ id: active.id, iModelId: connection.iModelId, connectionId: connection.id }, RunResult.Cancelled, endedAt),
        Date.parse(endedAt),
      );
    }
    await tx.connections.delete(connection.id);
  });
}
