import type { Settings } from '../../domain/configurations/model.js';
import { settingVariable } from '../settings-file.js';

/**
 * The configuration flags the builtin IFC connector honours (docs/connectors.md, "Configurations"),
 * both iModel flags. Every other flag Bentley documents is about DGN, DWG or Revit files, reality
 * data or sheets, or is not a connector's to apply.
 */
export interface IfcSettings {
  /** Limit the project extents' Z to ±8,849 m of the iModel's origin (project-extents.ts). */
  clampZExtent: boolean;
  /** Identify elements by their path in the file's tree, not their GlobalIds (path-identity.ts). */
  ignoreIfcGlobalIds: boolean;
}

const NAMES = ['clampZExtent', 'ignoreIfcGlobalIds'] as const satisfies readonly (keyof IfcSettings)[];

/**
 * The variables that carry them to a converter process, as the command connector names them
 * (TWINSYNC_SETTING_CLAMP_Z_EXTENT …). Every one is set, `false` when the task has no settings, so
 * that a variable of the server's own environment can never stand in for the configuration.
 */
export function ifcSettingsEnvironment(settings: Settings | undefined): Record<string, string> {
  return Object.fromEntries(NAMES.map((name) => [settingVariable(name), String(settings?.[name] === true)]));
}

/** What a converter task was given (only `true` turns a flag on). */
export function ifcSettingsOf(env: Readonly<Record<string, string | undefined>>): IfcSettings {
  const on = (name: (typeof NAMES)[number]) => env[settingVariable(name)] === 'true';
  return { clampZExtent: on('clampZExtent'), ignoreIfcGlobalIds: on('ignoreIfcGlobalIds') };
}
