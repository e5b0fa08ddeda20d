import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import type { Store } from '../store.js';
import { manifestConnectionForCaller } from './access.js';

/** Deletes the connection with its source files and runs (manifests included); an active run is cancelled first. */
export async function deleteManifestConnection(store: Store, caller: Caller, id: string): Promise<void> {
  await store.write(async (tx) => {
    const connection = await manifestConnectionForCaller(tx, caller, id, 'imodels_write');
    await tx.runs.cancelActiveOf(connection.id, nowIso());
    await tx.connections.delete(connection.id);
  });
}
