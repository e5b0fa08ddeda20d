import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { itwinForMember } from './access.js';
import type { ITwin } from './model.js';

export async function getITwin(store: Store, caller: Caller, id: string): Promise<ITwin> {
  return itwinForMember(store, caller, id);
}
