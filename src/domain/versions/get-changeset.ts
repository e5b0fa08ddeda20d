import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { imodelForMember } from '../imodels/access.js';
import type { Store } from '../store.js';
import { parseChangesetKey } from './changeset-key.js';
import type { Changeset, NamedVersion } from './model.js';

export interface ChangesetDetails {
  changeset: Changeset;
  /** The named version on it, if any (its `_links.namedVersion`). */
  namedVersion: NamedVersion | undefined;
}

/** One changeset of an iModel the caller may see, by index or id (parseChangesetKey). */
export async function getChangeset(store: Store, caller: Caller, iModelId: string, key: string): Promise<ChangesetDetails> {
  const imodel = await imodelForMember(store, caller, iModelId);
  const changeset = await store.versions.findChangeset(imodel.id, parseChangesetKey(key));
  if (!changeset) throw errors.changesetNotFound();
  return { changeset, namedVersion: await store.versions.namedVersionAt(imodel.id, changeset.index) };
}
