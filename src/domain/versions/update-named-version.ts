import type { Caller } from '../caller.js';
import { imodelForMember } from '../imodels/access.js';
import type { Store } from '../store.js';
import { namedVersionOf } from './get-named-version.js';
import type { NamedVersion } from './model.js';
import type { NamedVersionChange } from './repository.js';

/** Renames, describes, hides or shows a named version; absent properties stay as they are. */
export async function updateNamedVersion(store: Store, caller: Caller, iModelId: string, id: string, change: NamedVersionChange): Promise<NamedVersion> {
  const imodel = await imodelForMember(store, caller, iModelId, 'imodels_write');
  const version = await namedVersionOf(store, imodel.id, id);
  await store.versions.updateNamedVersion(imodel.id, version.id, change);
  return namedVersionOf(store, imodel.id, version.id);
}
