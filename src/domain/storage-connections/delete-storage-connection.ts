import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import type { Store } from '../store.js';
import { connectionForCaller } from './access.js';

/**
 * Deletes the connection with its source files (whose storage files may then be mapped again) and
 * its runs; an active run is cancelled first, so the worker running it stops at its next step.
 */
export async function deleteStorageConnection(store: Store, caller: Caller, id: string): Promise<void> {
  await store.write(async (tx) => {
    const connection = await connectionForCaller(tx, caller, id);
    await tx.runs.cancelActiveOf(connection.id, nowIso());
    await tx.connections.delete(connection.id);
  });
}
