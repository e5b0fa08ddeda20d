import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import { scopeForCaller } from './access.js';
import type { Level } from './model.js';

/** Delete iTwin / iModel / Connection Configuration: the scope's flags then resolve from the wider scopes and the defaults. */
export async function deleteConfiguration(store: Store, caller: Caller, level: Level, rawId: string): Promise<void> {
  await store.write(async (tx) => {
    const scope = await scopeForCaller(tx, caller, level, rawId, 'imodels_write');
    if (!(await tx.configurations.delete(level, scope.id))) throw errors.configurationNotFound();
  });
}
