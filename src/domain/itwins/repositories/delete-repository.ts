import type { Caller } from '../../caller.js';
import { errors } from '../../errors.js';
import { canonicalGuid, isGuid } from '../../ids.js';
import type { Store } from '../../store.js';
import { itwinForMember } from '../access.js';

/**
 * Removes a registered repository. One that is not registered in this iTwin (a generated one, an
 * unknown id, another iTwin's) is 404 iTwinRepositoryNotFound.
 */
export async function deleteRepository(store: Store, caller: Caller, iTwinId: string, repositoryId: string): Promise<void> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'itwins_modify');
  if (!isGuid(repositoryId)) throw errors.repositoryNotFound();
  const deleted = await store.write(async (tx) => {
    if (!(await tx.itwins.isMember(itwin.id, caller.subject))) throw errors.insufficientPermissions();
    return tx.itwins.deleteRepository(itwin.id, canonicalGuid(repositoryId));
  });
  if (!deleted) throw errors.repositoryNotFound();
}
