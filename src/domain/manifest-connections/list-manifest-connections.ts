import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import { listStorageConnections, type ConnectionList } from '../storage-connections/list-storage-connections.js';

/** Manifest connections of an iModel (required, as Bentley documents it), oldest first, paged like every connection list. */
export function listManifestConnections(store: Store, caller: Caller, query: Record<string, unknown>): Promise<ConnectionList> {
  return listStorageConnections(store, caller, query, { requireIModel: true, kind: 'manifest', invalid: errors.invalidManifestConnectionRequest });
}
