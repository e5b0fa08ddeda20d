import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { imodelForMember } from '../imodels/access.js';
import type { Store } from '../store.js';
import type { NamedVersion } from './model.js';

/** A named version of an iModel the caller may see (404 NamedVersionNotFound otherwise). */
export async function getNamedVersion(store: Store, caller: Caller, iModelId: string, id: string): Promise<NamedVersion> {
  const imodel = await imodelForMember(store, caller, iModelId);
  return namedVersionOf(store, imodel.id, id);
}

export async function namedVersionOf(store: Pick<Store, 'versions'>, iModelId: string, id: string): Promise<NamedVersion> {
  if (!isGuid(id)) throw errors.namedVersionNotFound();
  const version = await store.versions.findNamedVersion(iModelId, canonicalGuid(id));
  if (!version) throw errors.namedVersionNotFound();
  return version;
}
