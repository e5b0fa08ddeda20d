import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { imodelForMember } from '../imodels/access.js';
import { parseChangesetKey } from './changeset-key.js';
import type { Checkpoint, Checkpoints } from './checkpoints.js';

/** The checkpoint of a changeset (by index or id), or of the nearest preceding one that has a file. */
export async function getChangesetCheckpoint(checkpoints: Checkpoints, caller: Caller, iModelId: string, key: string): Promise<Checkpoint> {
  const imodel = await imodelForMember(checkpoints.store, caller, iModelId);
  const changeset = await checkpoints.store.versions.findChangeset(imodel.id, parseChangesetKey(key));
  if (!changeset) throw errors.changesetNotFound();
  return checkpoints.at(imodel, changeset.index);
}
