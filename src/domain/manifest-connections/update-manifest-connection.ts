import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import type { StorageConnection } from '../storage-connections/model.js';
import { parseConnectionUpdate } from '../storage-connections/update-storage-connection.js';
import { errors } from '../errors.js';
import { manifestConnectionForCaller } from './access.js';

/** Partial update of `displayName` and `authenticationType`, as for storage connections. */
export async function updateManifestConnection(store: Store, caller: Caller, id: string, body: unknown): Promise<StorageConnection> {
  return store.write(async (tx) => {
    const connection = await manifestConnectionForCaller(tx, caller, id, 'imodels_write');
    const changes = parseConnectionUpdate(body, errors.invalidManifestConnectionRequest);
    await tx.connections.update(connection.id, changes);
    return { ...connection, ...changes };
  });
}
