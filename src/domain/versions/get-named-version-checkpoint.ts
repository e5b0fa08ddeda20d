import type { Caller } from '../caller.js';
import { imodelForMember } from '../imodels/access.js';
import type { Checkpoint, Checkpoints } from './checkpoints.js';
import { namedVersionOf } from './get-named-version.js';

/** The checkpoint of a named version's changeset (current or preceding, as for a changeset). */
export async function getNamedVersionCheckpoint(checkpoints: Checkpoints, caller: Caller, iModelId: string, id: string): Promise<Checkpoint> {
  const imodel = await imodelForMember(checkpoints.store, caller, iModelId);
  const version = await namedVersionOf(checkpoints.store, imodel.id, id);
  return checkpoints.at(imodel, version.changesetIndex);
}
