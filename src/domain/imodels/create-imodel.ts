import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid } from '../ids.js';
import { requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { withDataCenter } from './data-center.js';
import type { Extent, IModel } from './model.js';

export interface NewIModel {
  iTwinId: string;
  name: string;
  description?: string;
  extent?: Extent;
}

/**
 * Creates an empty iModel (state `initialized`) in an iTwin the creator is a member of. Names are
 * unique per iTwin (409 `iModelExists`, enforced by a unique index under concurrency).
 */
export async function createIModel(store: Store, subject: string, input: NewIModel): Promise<IModel> {
  const imodel: IModel = {
    id: newGuid(),
    iTwinId: input.iTwinId,
    name: input.name,
    description: input.description ?? null,
    state: 'initialized',
    extent: input.extent ?? null,
    createdAt: nowIso(),
    createdBy: subject,
  };
  await store.write(async (tx) => {
    // Locking the iTwin orders this insert against a concurrent delete of the iTwin, which would
    // otherwise cascade over an iModel it never saw.
    if (!(await tx.itwins.lock(input.iTwinId))) throw errors.iTwinNotFound();
    await requireMember(tx, { subject }, input.iTwinId, 'imodels_manage');
    if (await tx.imodels.nameTaken(input.iTwinId, input.name)) throw errors.iModelExists();
    if (!(await tx.imodels.insert(imodel))) throw errors.iModelExists();
  });
  return withDataCenter(store, imodel);
}
