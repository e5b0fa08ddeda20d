import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import { scopeForCaller } from './access.js';
import { applyChanges, checkBounds, parseConfigurationBody } from './body.js';
import type { Level } from './model.js';
import { resolvedConfiguration, type ResolvedConfiguration } from './resolved.js';

/**
 * Create iTwin / iModel / Connection Configuration: the flags sent (null ones are left out) become
 * the scope's configuration. A scope has at most one: a second create is a 409, decided by the
 * store's primary key, so it holds for concurrent creates too.
 */
export async function createConfiguration(store: Store, caller: Caller, level: Level, rawId: string, body: unknown): Promise<ResolvedConfiguration> {
  return store.write(async (tx) => {
    const scope = await scopeForCaller(tx, caller, level, rawId, 'imodels_write');
    const settings = applyChanges({}, parseConfigurationBody(level, body));
    checkBounds(settings);
    const now = nowIso();
    if (!(await tx.configurations.create({ level, scopeId: scope.id, settings, version: 1, createdAt: now, updatedAt: now }))) {
      // The scope was seen a moment ago in this transaction: what refused the insert is a configuration.
      throw errors.configurationExists();
    }
    return resolvedConfiguration(tx, scope);
  });
}
