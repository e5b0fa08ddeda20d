import type { BlobStore } from '../blob-store.js';
import type { Caller } from '../caller.js';
import { foldChanges } from '../changed-elements/fold.js';
import { type ElementChange, Opcode, TypeOfChange } from '../changed-elements/model.js';
import { readChanges } from '../changed-elements/read-changes.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import { modelVersion } from './model-version.js';

/** What changed in an updated element, in words (the Changed Elements API's `type` flags). */
export type UpdateKind = 'property' | 'geometry' | 'placement' | 'related';

/**
 * What changed in a version since an earlier one, element by element: what the page colours. An
 * element of the version's model that is not listed is unchanged, or was changed only by a
 * changeset listed in `unrecordedChangesets`.
 */
export interface ModelChanges {
  changesetIndex: number;
  /** The earlier version (0: the empty baseline); by default the previous changeset. */
  sinceChangesetIndex: number;
  /** Changesets of the range whose connector recorded no element changes (emulated and command connectors). */
  unrecordedChangesets: number[];
  inserted: string[];
  updated: { id: string; what: UpdateKind[]; properties: string[] }[];
  /** Not in the version any more: described as they were. */
  deleted: string[];
}

const KINDS: [number, UpdateKind][] = [
  [TypeOfChange.Property, 'property'],
  [TypeOfChange.Geometry, 'geometry'],
  [TypeOfChange.Placement, 'placement'],
  [TypeOfChange.Indirect, 'related'],
];

/**
 * The changes from `since` (exclusive) to the changeset (inclusive), from what synchronization
 * recorded for each changeset (docs/changed-elements.md), folded as a comparison folds them. Unlike
 * the Changed Elements API, this needs no change tracking: the records exist for every changeset a
 * builtin connector made, and this is twinsync's own view of them. Nothing is exported: no
 * checkpoint is needed either.
 */
export async function getModelChanges(
  store: Store,
  blobs: BlobStore,
  caller: Caller,
  iModelId: string,
  key: string,
  query: { since?: string },
): Promise<ModelChanges> {
  const { imodel, changeset } = await modelVersion(store, caller, iModelId, key);
  const since = parseSince(query.since, changeset.index);
  const records = since < changeset.index ? await store.changedElements.changesetsBetween(imodel.id, since + 1, changeset.index) : [];
  const recorded: ElementChange[][] = [];
  const unrecordedChangesets: number[] = [];
  for (const record of records) {
    if (record.elementChangesId === null) unrecordedChangesets.push(record.index);
    else recorded.push(await readChanges(blobs, imodel.id, record.elementChangesId));
  }
  const changes: ModelChanges = { changesetIndex: changeset.index, sinceChangesetIndex: since, unrecordedChangesets, inserted: [], updated: [], deleted: [] };
  for (const change of foldChanges(recorded)) {
    if (change.opcode === Opcode.Inserted) changes.inserted.push(change.elementId);
    else if (change.opcode === Opcode.Deleted) changes.deleted.push(change.elementId);
    else
      changes.updated.push({
        id: change.elementId,
        what: KINDS.filter(([flag]) => (change.type & flag) !== 0).map(([, kind]) => kind),
        properties: change.properties,
      });
  }
  return changes;
}

function parseSince(raw: string | undefined, index: number): number {
  if (raw === undefined || raw === '') return index - 1;
  const since = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(since < index)) {
    throw errors.invalidRequest([
      { code: 'InvalidParameter', message: `since must be the index of an earlier changeset: 0 (the baseline) to ${index - 1}.`, target: 'since' },
    ]);
  }
  return since;
}
