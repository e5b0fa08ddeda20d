import type { Caller } from '../../caller.js';
import { nowIso } from '../../clock.js';
import { errors } from '../../errors.js';
import { newGuid } from '../../ids.js';
import type { Store } from '../../store.js';
import { itwinForMember } from '../access.js';
import type { ITwinDataRepository } from './model.js';
import type { NewRepository } from './repository-body.js';

/** Registers a repository of an iTwin the caller is a member of. */
export async function createRepository(store: Store, caller: Caller, iTwinId: string, input: NewRepository): Promise<ITwinDataRepository> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'itwins_modify');
  const repository: ITwinDataRepository = { id: newGuid(), iTwinId: itwin.id, ...input, createdAt: nowIso(), createdBy: caller.subject };
  await store.write(async (tx) => {
    // Under the iTwin's lock: a delete of the iTwin either sees this row go with it or comes after.
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    if (!(await tx.itwins.isMember(itwin.id, caller.subject))) throw errors.insufficientPermissions();
    await tx.itwins.insertRepository(repository);
  });
  return repository;
}
