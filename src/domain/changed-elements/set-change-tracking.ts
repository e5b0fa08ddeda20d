import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import type { Store } from '../store.js';
import { trackedIModel } from './access.js';
import type { TrackingChange } from './tracking-body.js';

/**
 * Enables or disables change tracking of an iModel. Enabling starts with the iModel's next
 * changeset: those made before were not processed (as the API says), even though twinsync records
 * every synchronization's element changes (docs/decisions.md, "Changed Elements").
 */
export async function setChangeTracking(store: Store, caller: Caller, change: TrackingChange): Promise<void> {
  const imodel = await trackedIModel(store, caller, change, 'imodels_write');
  await store.changedElements.setTracking(imodel.id, change.enable, nowIso());
}
