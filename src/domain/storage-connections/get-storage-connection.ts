import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { connectionForCaller } from './access.js';
import { connectionFromRow, type StorageConnection } from './model.js';

export async function getStorageConnection(store: Store, caller: Caller, id: string): Promise<StorageConnection> {
  return connectionFromRow(await connectionForCaller(store.db, caller, id));
}
