import { Type, type TSchema } from 'typebox';
import { KNOWN_FLAGS, levelsUpTo, type Level } from '../../domain/configurations/model.js';
import { MAX_FLAG_STRING, MAX_UNKNOWN_FLAGS } from '../../domain/configurations/body.js';

// The request bodies are enforced by domain/configurations/body.ts; test/integration/body-contract.test.ts
// keeps the two alike. Both come from the one list of flags (KNOWN_FLAGS).

/** A flag twinsync does not know: kept and passed on to connectors. */
const UnknownFlag = Type.Union([Type.Boolean(), Type.Number(), Type.String({ maxLength: MAX_FLAG_STRING })]);

function flagSchema(type: 'boolean' | 'number', description: string, value?: boolean | number): TSchema {
  const withDefault = value === undefined ? {} : { default: value };
  return type === 'boolean' ? Type.Boolean({ description, ...withDefault }) : Type.Number({ minimum: 0, description, ...withDefault });
}

const LEVEL_NAMES: Record<Level, string> = { itwin: 'iTwin', imodel: 'iModel', connection: 'Connection' };

/**
 * The body of a create (`withDefaults`: a flag left out resolves to its default) or a patch (a
 * flag left out stays as stored; null removes it) at `level`.
 */
function body(level: Level, withDefaults: boolean) {
  const properties = Object.fromEntries(
    KNOWN_FLAGS.filter((f) => f.level === level).map((f) => [f.name, Type.Optional(flagSchema(f.type, f.description, withDefaults ? f.default : undefined))]),
  );
  return Type.Object(properties, {
    additionalProperties: Type.Union([UnknownFlag, Type.Null()]),
    description:
      `${LEVEL_NAMES[level]} configuration. Other flags (at most ${MAX_UNKNOWN_FLAGS} per configuration, booleans, numbers or strings) are kept ` +
      'and passed on to connectors; a flag of another level is refused.' +
      (withDefaults ? ' A flag sent as null is left out.' : ' A flag sent as null is removed; flags not sent stay as they are.'),
  });
}

export const ITwinConfigurationCreate = body('itwin', true);
export const IModelConfigurationCreate = body('imodel', true);
export const ConnectionConfigurationCreate = body('connection', true);
export const ITwinConfigurationPatch = body('itwin', false);
export const IModelConfigurationPatch = body('imodel', false);
export const ConnectionConfigurationPatch = body('connection', false);

/** The flags of `levels`, each optional, with the others kept (the serializer must not drop them). */
function settingsSchema(levels: readonly Level[], description: string) {
  const properties = Object.fromEntries(
    KNOWN_FLAGS.filter((f) => levels.includes(f.level)).map((f) => [f.name, Type.Optional(flagSchema(f.type, f.description))]),
  );
  return Type.Object(properties, { additionalProperties: UnknownFlag, description });
}

function response(level: Level) {
  return Type.Object({
    configuration: Type.Object({
      scopeId: Type.String({ description: `The ${LEVEL_NAMES[level]} id.` }),
      settings: settingsSchema([level], 'The flags stored in this configuration.'),
      resolvedSettings: settingsSchema(
        levelsUpTo(level),
        level === 'itwin'
          ? 'Every iTwin flag: stored here, or its default.'
          : `Every flag that applies at this scope: this configuration over those of its ${level === 'connection' ? 'iModel and ' : ''}iTwin, over the defaults.`,
      ),
    }),
  });
}

export const ITwinConfigurationResponse = response('itwin');
export const IModelConfigurationResponse = response('imodel');
export const ConnectionConfigurationResponse = response('connection');
