import { errors } from '../errors.js';
import type { Repositories } from '../store.js';
import type { Scope } from './access.js';
import { resolveSettings, type Settings } from './model.js';

/** A configuration as the API answers it: its own flags, and what they resolve to with the wider scopes'. */
export interface ResolvedConfiguration {
  scopeId: string;
  settings: Settings;
  resolvedSettings: Settings;
}

/** The configuration stored at `scope`, resolved through the scopes above it (one read); 404 when there is none. */
export async function resolvedConfiguration(repos: Pick<Repositories, 'configurations'>, scope: Scope): Promise<ResolvedConfiguration> {
  const chain = await repos.configurations.chain(scope.chain);
  const settings = chain[scope.level];
  if (!settings) throw errors.configurationNotFound();
  return { scopeId: scope.id, settings, resolvedSettings: resolveSettings(scope.level, chain) };
}
