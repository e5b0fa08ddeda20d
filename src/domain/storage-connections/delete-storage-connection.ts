import { cancelActiveRuns } from '../../store/repositories/runs.js';
import { deleteConnection } from '../../store/repositories/storage-connections.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { connectionForCaller } from './access.js';

/**
 * Deletes the connection with its source files (whose storage files may then be mapped again) and
 * its runs; an active run is cancelled first, so the worker running it stops at its next step.
 */
export async function deleteStorageConnection(store: Store, caller: Caller, id: string): Promise<void> {
  await store.writeSql(async (trx) => {
    const connection = await connectionForCaller(trx, caller, id);
    await cancelActiveRuns(trx, connection.id, nowIso());
    await deleteConnection(trx, connection.id);
  });
}
