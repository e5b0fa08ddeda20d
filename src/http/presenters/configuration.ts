import type { ResolvedConfiguration } from '../../domain/configurations/resolved.js';

/** `{ configuration: { scopeId, settings, resolvedSettings } }`, as Bentley's examples show it. */
export function presentConfiguration(configuration: ResolvedConfiguration) {
  return { configuration: { scopeId: configuration.scopeId, settings: configuration.settings, resolvedSettings: configuration.resolvedSettings } };
}
