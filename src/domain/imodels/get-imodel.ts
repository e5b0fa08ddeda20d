import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { imodelForMember } from './access.js';
import { imodelFromRow, type IModel } from './model.js';

export async function getIModel(store: Store, caller: Caller, id: string): Promise<IModel> {
  return imodelFromRow(await imodelForMember(store.db, caller, id));
}
