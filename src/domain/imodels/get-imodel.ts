import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { imodelForMember } from './access.js';
import type { IModel } from './model.js';

export async function getIModel(store: Store, caller: Caller, id: string): Promise<IModel> {
  return imodelForMember(store, caller, id);
}
