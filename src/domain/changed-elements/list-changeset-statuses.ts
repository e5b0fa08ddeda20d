import type { Caller } from '../caller.js';
import type { ErrorDetail } from '../errors.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import { trackedIModel } from './access.js';
import { parseTrackedIModel, throwIfInvalid } from './query.js';
import type { ChangeTracking } from './repository.js';

export interface ChangesetStatus {
  id: string;
  index: number;
  ready: boolean;
}

export interface ChangesetStatusList extends Paged<ChangesetStatus> {
  iModelId: string;
  iTwinId: string;
}

/**
 * The iModel's changesets by index, each `ready` when it can be compared: made while tracking was
 * enabled (see isProcessed). A page at a time (`$top`, `$skip`).
 */
export async function listChangesetStatuses(store: Store, caller: Caller, query: Record<string, unknown>): Promise<ChangesetStatusList> {
  const details: ErrorDetail[] = [];
  const named = parseTrackedIModel(query, details);
  const page = parsePage(query, details);
  throwIfInvalid(details);
  const imodel = await trackedIModel(store, caller, named);
  const [tracking, rows] = await Promise.all([store.changedElements.tracking(imodel.id), store.versions.listChangesets(imodel.id, { order: 'asc' }, page)]);
  const paged = toPaged(rows, page);
  return {
    ...paged,
    items: paged.items.map((c) => ({ id: c.id, index: c.index, ready: isProcessed(tracking, c.index) })),
    iModelId: imodel.id,
    iTwinId: imodel.iTwinId,
  };
}

/**
 * A changeset is processed when tracking is enabled and has been since before it was made. Its
 * element changes are recorded either way (at no cost to a run); this keeps the API's rule that
 * only tracked changesets can be compared.
 */
export function isProcessed(tracking: ChangeTracking | undefined, index: number): boolean {
  return tracking !== undefined && tracking.enabled && index >= tracking.fromIndex;
}
