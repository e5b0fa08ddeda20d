import type { BlobStore } from '../blob-store.js';
import type { Caller } from '../caller.js';
import { type ErrorDetail, errors } from '../errors.js';
import type { Store } from '../store.js';
import { trackedIModel } from './access.js';
import { foldChanges } from './fold.js';
import { type ChangedElements, type ElementChange, toChangedElements } from './model.js';
import { readChanges } from './read-changes.js';
import { isProcessed } from './list-changeset-statuses.js';
import { parseChangesetRange, parseTrackedIModel, throwIfInvalid } from './query.js';

/**
 * What changed in the iModel from the start changeset to the end one, both included (the same id
 * twice: that changeset's changes). Every changeset of the range must be processed (tracked); its
 * recorded element changes are read and folded into one change per element (fold.ts). A changeset
 * with none recorded (an emulated or command connector's) adds nothing.
 */
export async function getComparison(store: Store, blobs: BlobStore, caller: Caller, query: Record<string, unknown>): Promise<ChangedElements> {
  const details: ErrorDetail[] = [];
  const named = parseTrackedIModel(query, details);
  const range = parseChangesetRange(query, details);
  throwIfInvalid(details);
  const imodel = await trackedIModel(store, caller, named);
  const [start, end, tracking] = await Promise.all([
    store.versions.findChangeset(imodel.id, { id: range.start }),
    store.versions.findChangeset(imodel.id, { id: range.end }),
    store.changedElements.tracking(imodel.id),
  ]);
  if (!start || !end) throw errors.changesetNotFound();
  if (start.index > end.index)
    throw errors.invalidChangedElementsRequest([
      { code: 'InvalidParameter', message: 'startChangesetId must not come after endChangesetId.', target: 'startChangesetId' },
    ]);
  for (const [changeset, name] of [
    [start, 'startChangesetId'],
    [end, 'endChangesetId'],
  ] as const) {
    if (!isProcessed(tracking, changeset.index)) details.push(notProcessed(changeset.index, name));
  }
  throwIfInvalid(details);
  const records = await store.changedElements.changesetsBetween(imodel.id, start.index, end.index);
  const changes: ElementChange[][] = [];
  for (const record of records) {
    if (record.elementChangesId === null) continue;
    changes.push(await readChanges(blobs, imodel.id, record.elementChangesId));
  }
  return toChangedElements(foldChanges(changes));
}

function notProcessed(index: number, target: string): ErrorDetail {
  return {
    code: 'ChangesetNotProcessed',
    message: `Changeset ${index} was not processed: change tracking was not enabled when it was made.`,
    target,
  };
}
