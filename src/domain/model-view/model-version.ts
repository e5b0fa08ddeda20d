import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { imodelForMember } from '../imodels/access.js';
import type { IModel } from '../imodels/model.js';
import type { Store } from '../store.js';
import { parseChangesetKey } from '../versions/changeset-key.js';
import type { Changeset } from '../versions/model.js';

/**
 * The version a model-view request names: a changeset of an iModel the caller may read, by index or
 * id as the changesets API takes it (a named version's is its `changesetIndex`). Who may: exactly
 * who may read the iModel's changesets (404 iModelNotFound, 403 InsufficientPermissions, 404
 * ChangesetNotFound).
 */
export async function modelVersion(store: Store, caller: Caller, iModelId: string, key: string): Promise<{ imodel: IModel; changeset: Changeset }> {
  const imodel = await imodelForMember(store, caller, iModelId);
  const changeset = await store.versions.findChangeset(imodel.id, parseChangesetKey(key));
  if (!changeset) throw errors.changesetNotFound();
  return { imodel, changeset };
}

/**
 * The same, for what is exported from the changeset's own checkpoint: 409 CheckpointNotAvailable
 * when its connector wrote none (emulated and command connectors), or it was pruned since. Not the
 * current-or-preceding checkpoint the checkpoints API answers: that is another version's content,
 * and its elements' changes would be another changeset's.
 */
export async function modelVersionWithCheckpoint(
  store: Store,
  caller: Caller,
  iModelId: string,
  key: string,
): Promise<{ imodel: IModel; changeset: Changeset }> {
  const version = await modelVersion(store, caller, iModelId, key);
  if (version.changeset.checkpointSize === null) throw errors.noCheckpoint(version.changeset.index);
  if (version.changeset.checkpointPruned) throw errors.checkpointPruned(version.changeset.index);
  return version;
}
