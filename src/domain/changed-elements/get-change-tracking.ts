import type { Caller } from '../caller.js';
import type { ErrorDetail } from '../errors.js';
import type { Store } from '../store.js';
import { trackedIModel } from './access.js';
import { parseTrackedIModel, throwIfInvalid } from './query.js';

/** Whether the iModel's changes are tracked (never set: not tracked). */
export async function getChangeTracking(store: Store, caller: Caller, query: Record<string, unknown>): Promise<{ enabled: boolean }> {
  const details: ErrorDetail[] = [];
  const named = parseTrackedIModel(query, details);
  throwIfInvalid(details);
  const imodel = await trackedIModel(store, caller, named);
  const tracking = await store.changedElements.tracking(imodel.id);
  return { enabled: tracking?.enabled ?? false };
}
