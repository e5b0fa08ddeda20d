import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import { scopeForCaller } from './access.js';
import { applyChanges, checkBounds, parseConfigurationBody } from './body.js';
import type { Level } from './model.js';
import { resolvedConfiguration, type ResolvedConfiguration } from './resolved.js';

/** A PATCH that lost the race to other PATCHes this many times in a row gives up with a 409 (send it again). */
const ATTEMPTS = 5;

/**
 * Patch iTwin / iModel / Connection Configuration: the flags sent are merged into the stored ones,
 * a flag sent as null is removed (it then resolves from the wider scopes or its default), the
 * others stay. The merge replaces only the version it read, so concurrent PATCHes (several API
 * processes) each apply whole, one after the other.
 */
export async function updateConfiguration(store: Store, caller: Caller, level: Level, rawId: string, body: unknown): Promise<ResolvedConfiguration> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await store.write(async (tx) => {
      const scope = await scopeForCaller(tx, caller, level, rawId, 'imodels_write');
      const stored = await tx.configurations.find(level, scope.id);
      if (!stored) throw errors.configurationNotFound();
      const settings = applyChanges(stored.settings, parseConfigurationBody(level, body));
      checkBounds(settings);
      if (!(await tx.configurations.replace(level, scope.id, settings, stored.version, nowIso()))) return undefined;
      return resolvedConfiguration(tx, scope);
    });
    if (outcome) return outcome;
    if (attempt === ATTEMPTS) throw errors.configurationChanged();
  }
}
