/**
 * Synchronization configurations (docs/api-contract.md, "Configurations"): flags set on an iTwin,
 * an iModel or a connection that say how connectors process data. A connection's flags resolve
 * through its iModel and that iModel's iTwin: connection over iModel over iTwin over defaults.
 */

/** The three scopes a configuration can be set on, from the widest. */
export const LEVELS = ['itwin', 'imodel', 'connection'] as const;
export type Level = (typeof LEVELS)[number];

/** A flag's value: the known flags are booleans or a number; unknown flags may also be strings. */
export type FlagValue = boolean | number | string;
export type Settings = Record<string, FlagValue>;

export interface KnownFlag {
  readonly name: string;
  readonly level: Level;
  readonly type: 'boolean' | 'number';
  readonly default: boolean | number;
  /** What it asks of a connector, in our words (the OpenAPI document and docs/api-contract.md). */
  readonly description: string;
}

function flag(level: Level, name: string, type: KnownFlag['type'], value: boolean | number, description: string): KnownFlag {
  return Object.freeze({ name, level, type, default: value, description });
}

/** The flags Bentley documents, each at its level, in the order resolvedSettings lists them. */
export const KNOWN_FLAGS: readonly KnownFlag[] = [
  flag('itwin', 'uploadDgnRealityData', 'boolean', true, 'Upload reality data (.3sm, .3mx, .pod, raster) attached to CAD files. Default true.'),
  flag('itwin', 'convertDgnTerrainModels', 'boolean', false, 'Process terrain model elements of DGN files. Default false.'),
  flag('itwin', 'squashIntermediateRevisions', 'boolean', false, 'One changeset for the elements of all source files of a run. Default false.'),
  flag('itwin', 'skipRvtReprojection', 'boolean', false, 'Ignore the geolocation of .rvt files. Default false.'),
  flag('itwin', 'convertDgnHyperModelingSections', 'boolean', true, 'Show 2D sections of DGN hypermodels in the 3D model. Default true.'),
  flag('imodel', 'clampZExtent', 'boolean', false, "Limit the project extent's Z to Mount Everest's height (8849 m). Default false."),
  flag(
    'imodel',
    'enableFileNamePolicy',
    'boolean',
    false,
    'Stored and passed on to connectors as Bentley names it; twinsync gives it no meaning of its own. Default false.',
  ),
  flag('imodel', 'overrideRvtReprojectionDistance', 'number', 0, 'Distance in meters beyond which the geolocation of .rvt files is ignored. Default 0.'),
  // Documented by Bentley: the create-imodel-configuration page lists it among the iModel's flags
  // (the connector ignores the IFC GlobalIds when it works out an element's identity), although the
  // page's examples and the get/patch pages' examples do not show it.
  flag(
    'imodel',
    'ignoreIfcGlobalIds',
    'boolean',
    false,
    "Identify IFC elements by their place in the file's spatial and aggregation tree instead of their GlobalIds. Default false.",
  ),
  flag('connection', 'reclassifyDgnElements', 'boolean', false, 'Let the connector change the class of Generic elements. Default false.'),
  flag('connection', 'ignoreDgnAttachments', 'boolean', false, 'Synchronize only the master file, not its reference attachments. Default false.'),
  flag('connection', 'enableSheetsAndDrawings', 'boolean', false, 'Synchronize sheets and drawings. Default false.'),
];

const BY_LOWER_NAME = new Map(KNOWN_FLAGS.map((f) => [f.name.toLowerCase(), f]));

/** The known flag of that name, in any case. */
export function knownFlag(name: string): KnownFlag | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

/** The levels whose flags a configuration at `level` resolves: its own and the wider ones. */
export function levelsUpTo(level: Level): readonly Level[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/** A configuration as stored at one scope. */
export interface Configuration {
  level: Level;
  /** The iTwin, iModel or connection id. */
  scopeId: string;
  settings: Settings;
  /** Counts its changes (a PATCH replaces only the version it read). */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The flags stored at each scope above and at a configuration's own (undefined: none stored there). */
export type SettingsChain = Partial<Record<Level, Settings>>;

/**
 * What a connector at `level` works with: the defaults of every flag of that level and the wider
 * ones, then the stored flags from the widest scope to the narrowest, each over the one before.
 * Unknown flags are merged the same way, in any case (the narrowest spelling wins).
 */
export function resolveSettings(level: Level, chain: SettingsChain): Settings {
  const levels = levelsUpTo(level);
  const resolved: Settings = {};
  for (const known of KNOWN_FLAGS) if (levels.includes(known.level)) resolved[known.name] = known.default;
  for (const at of levels) {
    for (const [name, value] of Object.entries(chain[at] ?? {})) {
      for (const existing of Object.keys(resolved)) if (existing !== name && existing.toLowerCase() === name.toLowerCase()) delete resolved[existing];
      resolved[name] = value;
    }
  }
  return resolved;
}
