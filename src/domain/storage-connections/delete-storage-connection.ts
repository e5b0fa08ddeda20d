import { deleteConnection } from '../../store/repositories/storage-connections.js';
import type { Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { connectionForCaller } from './access.js';

/** Deletes the connection and its source files, whose storage files may then be mapped again. */
export async function deleteStorageConnection(store: Store, caller: Caller, id: string): Promise<void> {
  await store.write(async (trx) => {
    const connection = await connectionForCaller(trx, caller, id);
    await deleteConnection(trx, connection.id);
  });
}
