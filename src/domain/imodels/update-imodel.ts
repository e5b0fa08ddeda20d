import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { imodelForMember } from './access.js';
import { withDataCenter } from './data-center.js';
import type { IModel } from './model.js';
import type { IModelChange } from './repository.js';

/**
 * Changes an iModel's name, description or extent; absent properties stay as they are. Names stay
 * unique in the iTwin as at create (409 iModelExists, the unique index deciding under concurrency).
 */
export async function updateIModel(store: Store, caller: Caller, id: string, change: IModelChange): Promise<IModel> {
  const imodel = await imodelForMember(store, caller, id, 'imodels_manage');
  const updated = await store.write(async (tx) => {
    const current = await tx.imodels.find(imodel.id);
    if (!current) throw errors.iModelNotFound();
    await requireMember(tx, caller, current.iTwinId, 'imodels_manage');
    const renamed = change.name !== undefined && change.name !== current.name;
    if (renamed && (await tx.imodels.nameTaken(current.iTwinId, change.name!))) throw errors.iModelExists();
    if (!(await tx.imodels.update(current.id, change))) throw errors.iModelExists();
    return { ...current, ...change } as IModel;
  });
  return withDataCenter(store, updated);
}
