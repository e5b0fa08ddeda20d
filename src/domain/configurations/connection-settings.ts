import type { Repositories } from '../store.js';
import { resolveSettings, type Settings } from './model.js';

/**
 * What a connection's connectors work with: its configuration over its iModel's over its iTwin's
 * over the defaults, as stored now (one read). A connection without any configuration above it
 * gets the defaults; one deleted meanwhile too (its run is being cancelled anyway).
 */
export async function resolvedSettingsOfConnection(repos: Pick<Repositories, 'configurations'>, connectionId: string): Promise<Settings> {
  return resolveSettings('connection', (await repos.configurations.chainOfConnection(connectionId)) ?? {});
}
