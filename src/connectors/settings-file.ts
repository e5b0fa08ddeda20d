import fs from 'node:fs';
import path from 'node:path';
import { KNOWN_FLAGS, type Settings } from '../domain/configurations/model.js';
import type { ConnectorInput } from './connector.js';

/** The file, in a task's output folder, that holds the connection's resolved configuration. */
export const SETTINGS_FILE = 'twinsync-settings.json';

/**
 * Writes the task's resolved settings where a program finds them (its working folder) and returns
 * the variables that name them (docs/connectors.md): TWINSYNC_SETTINGS_FILE, and one
 * TWINSYNC_SETTING_<NAME> per flag twinsync knows (`clampZExtent` → TWINSYNC_SETTING_CLAMP_Z_EXTENT),
 * its value as JSON writes it. Flags twinsync does not know are in the file only: their names are
 * the client's, and need not make valid variable names. Nothing when the task has no settings.
 */
export async function settingsEnvironment(input: ConnectorInput): Promise<Record<string, string>> {
  if (!input.settings) return {};
  const file = path.join(input.outputDir, SETTINGS_FILE);
  await fs.promises.writeFile(file, `${JSON.stringify(input.settings, null, 2)}\n`);
  return { TWINSYNC_SETTINGS_FILE: file, ...settingVariables(input.settings) };
}

/**
 * One TWINSYNC_SETTING_<NAME> per flag twinsync knows, its value as JSON writes it: how the builtin
 * IFC connector's converter processes get the flags they honour (they read no settings file).
 */
export function settingVariables(settings: Settings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const flag of KNOWN_FLAGS) {
    const value = settings[flag.name];
    if (value !== undefined) env[settingVariable(flag.name)] = String(value);
  }
  return env;
}

/** `clampZExtent` → `TWINSYNC_SETTING_CLAMP_Z_EXTENT`. */
export function settingVariable(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2');
  return `TWINSYNC_SETTING_${words.toUpperCase()}`;
}
