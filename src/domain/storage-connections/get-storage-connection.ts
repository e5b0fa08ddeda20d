import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { connectionForCaller } from './access.js';
import type { StorageConnection } from './model.js';

export async function getStorageConnection(store: Store, caller: Caller, id: string): Promise<StorageConnection> {
  return connectionForCaller(store, caller, id);
}
