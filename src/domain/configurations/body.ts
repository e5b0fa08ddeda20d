import type { BodyDeclaration } from '../body-fields.js';
import { errors, type ErrorDetail } from '../errors.js';
import { isPlainObject, MalformedBody } from '../request-body.js';
import { KNOWN_FLAGS, knownFlag, type FlagValue, type Level, type Settings } from './model.js';

/**
 * What a configuration body of each level may hold: its own level's flags. The known flags of the
 * other levels are read only to refuse them by name (docs/decisions.md, "Configurations").
 * Flags twinsync does not know are kept too, within the bounds below; no declaration can name them.
 */
function declarationOf(level: Level): BodyDeclaration {
  const entries = KNOWN_FLAGS.map((f): [string, true | 'refusal-hint'] => [f.name, f.level === level ? true : 'refusal-hint']);
  return Object.freeze(Object.fromEntries(entries));
}
export const ITWIN_CONFIGURATION_BODY = declarationOf('itwin');
export const IMODEL_CONFIGURATION_BODY = declarationOf('imodel');
export const CONNECTION_CONFIGURATION_BODY = declarationOf('connection');

/** Bounds on the flags twinsync does not know, so that a configuration stays small. */
export const MAX_UNKNOWN_FLAGS = 50;
export const MAX_FLAG_NAME = 100;
export const MAX_FLAG_STRING = 1000;
const FLAG_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

const LEVEL_NAMES: Record<Level, string> = { itwin: 'iTwin', imodel: 'iModel', connection: 'connection' };

/**
 * A body's flags: the values to set, and the names to remove (sent as null: a PATCH removes them,
 * a POST has nothing to remove and ignores them). Known flags are spelled as documented, whatever
 * case they came in.
 */
export interface FlagChanges {
  set: Settings;
  remove: string[];
}

/** Reads a POST or PATCH body of a configuration at `level`; one 422 lists every problem. */
export function parseConfigurationBody(level: Level, body: unknown): FlagChanges {
  if (body === undefined) {
    throw errors.missingRequestBody([
      { code: 'InvalidRequestBody', message: `A request body is required: a JSON object of ${LEVEL_NAMES[level]} configuration flags.` },
    ]);
  }
  if (body instanceof MalformedBody) throw errors.invalidConfigurationRequest([{ code: 'InvalidRequestBody', message: body.reason }]);
  if (!isPlainObject(body)) throw errors.invalidConfigurationRequest([{ code: 'InvalidRequestBody', message: 'The request body must be a JSON object.' }]);

  const details: ErrorDetail[] = [];
  const changes: FlagChanges = { set: {}, remove: [] };
  const seen = new Set<string>();
  for (const [sent, value] of Object.entries(body)) {
    const known = knownFlag(sent);
    const name = known?.name ?? sent;
    const target = targetOf(name);
    if (seen.has(name.toLowerCase())) {
      details.push(invalid(target, `${target} is given more than once (flag names are matched in any case).`));
      continue;
    }
    seen.add(name.toLowerCase());
    if (known && known.level !== level) {
      details.push(invalid(name, `${name} is an ${LEVEL_NAMES[known.level]} flag: set it in the ${LEVEL_NAMES[known.level]}'s configuration.`));
      continue;
    }
    // `__proto__` is a valid-looking name that no plain object can hold as its own (assigning it
    // sets the prototype): it would vanish silently, so it is refused by name.
    if (name === '__proto__') {
      details.push(invalid(name, '__proto__ cannot be a flag name.'));
      continue;
    }
    if (!known && (name.length > MAX_FLAG_NAME || !FLAG_NAME.test(name))) {
      details.push(invalid(target, `A flag name is 1 to ${MAX_FLAG_NAME} letters, digits, "_", "." or "-", beginning with a letter or "_".`));
      continue;
    }
    if (value === null) {
      changes.remove.push(name);
      continue;
    }
    const problem = known ? knownValueProblem(known.name, known.type, value) : unknownValueProblem(name, value);
    if (problem) details.push(invalid(name, problem));
    else changes.set[name] = value as FlagValue;
  }
  if (details.length > 0) throw errors.invalidConfigurationRequest(details);
  return changes;
}

/** Applies `changes` to `stored`: unknown names replace any stored spelling of theirs; removed names go. */
export function applyChanges(stored: Settings, changes: FlagChanges): Settings {
  const out: Settings = {};
  const dropped = new Set([...changes.remove, ...Object.keys(changes.set)].map((n) => n.toLowerCase()));
  for (const [name, value] of Object.entries(stored)) if (!dropped.has(name.toLowerCase())) out[name] = value;
  return { ...out, ...changes.set };
}

/** The 422 when a configuration would hold too many flags twinsync does not know. */
export function checkBounds(settings: Settings): void {
  const unknown = Object.keys(settings).filter((n) => !knownFlag(n)).length;
  if (unknown > MAX_UNKNOWN_FLAGS) {
    throw errors.invalidConfigurationRequest([
      invalid(
        'settings',
        `A configuration holds at most ${MAX_UNKNOWN_FLAGS} flags that twinsync does not know; this one would hold ${unknown}. Remove some (send them as null).`,
      ),
    ]);
  }
}

function knownValueProblem(name: string, type: 'boolean' | 'number', value: unknown): string | undefined {
  if (type === 'boolean') return typeof value === 'boolean' ? undefined : `${name} must be a boolean (true or false).`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number.`;
  return value < 0 ? `${name} must be 0 or more (a distance in meters).` : undefined;
}

function unknownValueProblem(name: string, value: unknown): string | undefined {
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return undefined;
  if (typeof value === 'string' && value.length <= MAX_FLAG_STRING) return undefined;
  return `${name} is not a flag twinsync knows: its value must be a boolean, a number or a string of at most ${MAX_FLAG_STRING} characters (or null to remove it).`;
}

/** A flag's name as a detail's target, only when it looks like one: a client's junk is never reflected. */
function targetOf(name: string): string {
  return name.length <= MAX_FLAG_NAME && FLAG_NAME.test(name) ? name : 'settings';
}

function invalid(target: string, message: string): ErrorDetail {
  return { code: 'InvalidValue', message, target };
}
