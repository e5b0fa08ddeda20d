import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { scopeForCaller } from './access.js';
import type { Level } from './model.js';
import { resolvedConfiguration, type ResolvedConfiguration } from './resolved.js';

export async function getConfiguration(store: Store, caller: Caller, level: Level, rawId: string): Promise<ResolvedConfiguration> {
  return resolvedConfiguration(store, await scopeForCaller(store, caller, level, rawId, 'imodels_read'));
}
