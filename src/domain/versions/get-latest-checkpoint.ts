import type { Caller } from '../caller.js';
import { imodelForMember } from '../imodels/access.js';
import type { Checkpoint, Checkpoints } from './checkpoints.js';

/** The checkpoint of the iModel's latest changeset (the baseline when it has none). */
export async function getLatestCheckpoint(checkpoints: Checkpoints, caller: Caller, iModelId: string): Promise<Checkpoint> {
  const imodel = await imodelForMember(checkpoints.store, caller, iModelId);
  const latest = await checkpoints.store.versions.latestOf(imodel.id);
  return checkpoints.at(imodel, latest?.index ?? 0);
}
