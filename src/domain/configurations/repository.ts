import type { Configuration, Level, Settings, SettingsChain } from './model.js';

/** The scopes a configuration resolves through: its iTwin, and its iModel and connection where it has them. */
export interface ScopeChain {
  itwin: string;
  imodel?: string;
  connection?: string;
}

/** Persistence of configurations, in domain terms (implemented in src/store/repositories/configurations.ts). */
export interface ConfigurationRepository {
  find(level: Level, scopeId: string): Promise<Configuration | undefined>;
  /** The settings stored at each scope of `scopes` (absent where none is stored), in one read. */
  chain(scopes: ScopeChain): Promise<SettingsChain>;
  /**
   * For a worker: the settings stored for a connection, its iModel and its iTwin, in one read;
   * undefined when the connection is gone.
   */
  chainOfConnection(connectionId: string): Promise<SettingsChain | undefined>;
  /** False when the scope already has a configuration, or is gone (nothing written either way). */
  create(configuration: Configuration): Promise<boolean>;
  /** Replaces the settings if the stored version is still `version`; false when it changed or went meanwhile. */
  replace(level: Level, scopeId: string, settings: Settings, version: number, updatedAt: string): Promise<boolean>;
  /** False when there was none. */
  delete(level: Level, scopeId: string): Promise<boolean>;
}
