import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { imodelForMember } from './access.js';
import { withDataCenter } from './data-center.js';
import type { IModel } from './model.js';

export async function getIModel(store: Store, caller: Caller, id: string): Promise<IModel> {
  return withDataCenter(store, await imodelForMember(store, caller, id));
}
