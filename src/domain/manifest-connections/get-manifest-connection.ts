import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import type { StorageConnection } from '../storage-connections/model.js';
import { manifestConnectionForCaller } from './access.js';

export function getManifestConnection(store: Store, caller: Caller, id: string): Promise<StorageConnection> {
  return manifestConnectionForCaller(store, caller, id);
}
