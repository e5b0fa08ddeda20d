import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { itwinForMember } from './access.js';
import { itwinFromRow, type ITwin } from './model.js';

export async function getITwin(store: Store, caller: Caller, id: string): Promise<ITwin> {
  return itwinFromRow(await itwinForMember(store.db, caller, id));
}
