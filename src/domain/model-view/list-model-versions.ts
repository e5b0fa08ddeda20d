import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import type { Store } from '../store.js';
import { type ChangesetList, listChangesets } from '../versions/list-changesets.js';
import type { Changeset } from '../versions/model.js';
import { text } from '../versions/query.js';

/**
 * Whether a version's model can be shown: `available` (its own checkpoint exists), `noCheckpoint`
 * (its connector wrote no iModel file: emulated and command connectors) or `pruned`. The same
 * conditions as the model's 409 CheckpointNotAvailable (model-version.ts), read from the changeset
 * row alone: nothing is exported to say it.
 */
export type ModelAvailability = 'available' | 'noCheckpoint' | 'pruned';

export function modelAvailability(changeset: Changeset): ModelAvailability {
  if (changeset.checkpointSize === null) return 'noCheckpoint';
  return changeset.checkpointPruned ? 'pruned' : 'available';
}

export interface ModelVersionList extends ChangesetList {
  filter: ChangesetList['filter'] & { model?: string };
}

/**
 * An iModel's changesets as the changesets list pages them, for a viewer that must know which have
 * a model before asking for one (an export costs seconds): `model=available` keeps only those, so
 * `model=available&$orderBy=index desc&$top=1` is the newest version that can be shown, in one
 * request. Authorized as the changesets list is. Named versions ride along for the version picker.
 */
export async function listModelVersions(store: Store, caller: Caller, iModelId: string, query: Record<string, unknown>): Promise<ModelVersionList> {
  const details: ErrorDetail[] = [];
  const model = text(query, 'model', details);
  if (model !== undefined && model !== 'available') details.push({ code: 'InvalidValue', message: "model must be 'available'.", target: 'model' });
  if (details.length > 0) throw errors.invalidIModelRequest(details);
  const list = await listChangesets(store, caller, iModelId, query, true, { withCheckpoint: model === 'available' });
  return { ...list, filter: { ...list.filter, model } };
}
