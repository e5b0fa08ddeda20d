import assert from 'node:assert/strict';
import type { BodyDeclaration } from '../../src/domain/body-fields.js';

/**
 * The request-body schemas of the served OpenAPI document, read as the body contract test needs
 * them: each documented property with the rules it documents, values that keep those rules, and
 * values that break each one. A keyword this file does not know how to check fails the test, so a
 * rule cannot be documented without being checked.
 */

export type JsonSchema = { [keyword: string]: unknown };

export interface Field {
  kind: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  nullable: boolean;
  enum?: readonly unknown[];
  maxLength?: number;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  properties?: Record<string, Field>;
  required?: readonly string[];
  minProperties?: number;
  items?: Field;
  /** The schema of properties a body may hold besides the documented ones (`additionalProperties`), as given. */
  additional?: JsonSchema;
}

const CHECKED = new Set([
  'type',
  'properties',
  'required',
  'items',
  'anyOf',
  'enum',
  'const',
  'maxLength',
  'format',
  'pattern',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'minProperties',
  'default',
  'additionalProperties',
]);
const PROSE = new Set(['description', 'title']);
const FORMATS = new Set(['uuid']);

/** `where` names the schema in failure messages. */
export function normalize(schema: JsonSchema, where: string): Field {
  for (const keyword of Object.keys(schema)) {
    assert.ok(
      CHECKED.has(keyword) || PROSE.has(keyword),
      `${where}: the body contract test does not check "${keyword}" yet: teach test/helpers/body-schema.ts`,
    );
  }
  if (Array.isArray(schema.anyOf)) return normalizeUnion(schema.anyOf as JsonSchema[], where);
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as string[];
  const nullable = types.includes('null');
  const kind = types.filter((t) => t !== 'null');
  assert.equal(kind.length, 1, `${where}: one type (and null) expected, got ${JSON.stringify(schema.type)}`);
  const field: Field = { kind: kind[0] as Field['kind'], nullable };
  if (schema.const !== undefined) field.enum = [schema.const];
  if (Array.isArray(schema.enum)) field.enum = schema.enum;
  for (const key of ['maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'minProperties'] as const) {
    if (typeof schema[key] === 'number') field[key] = schema[key] as number;
  }
  if (schema.format !== undefined) {
    assert.ok(FORMATS.has(schema.format as string), `${where}: format ${String(schema.format)} is not checked yet`);
    field.format = schema.format as string;
  }
  if (typeof schema.pattern === 'string') field.pattern = schema.pattern;
  if ('default' in schema) field.default = schema.default;
  if (field.kind === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    field.properties = Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, normalize(s, `${where}.${name}`)]));
    field.required = (schema.required ?? []) as string[];
    if (typeof schema.additionalProperties === 'object') field.additional = schema.additionalProperties as JsonSchema;
  }
  if (field.kind === 'array') field.items = normalize(schema.items as JsonSchema, `${where}[]`);
  return field;
}

/** `[string, null]` is a nullable string; a union of string constants is an enum. */
function normalizeUnion(branches: JsonSchema[], where: string): Field {
  const nonNull = branches.filter((b) => b.type !== 'null');
  const nullable = nonNull.length < branches.length;
  const constants = nonNull.map((b) => normalize(b, where));
  if (constants.length > 1 && constants.every((c) => c.kind === 'string' && c.enum)) {
    return { kind: 'string', nullable, enum: constants.flatMap((c) => c.enum!) };
  }
  assert.equal(constants.length, 1, `${where}: a union the body contract test cannot read (only alternatives of whole bodies are)`);
  return { ...constants[0]!, nullable };
}

/** The alternatives a body may take: the branches of a union of objects, or the one object. */
export function bodyShapes(schema: JsonSchema, where: string): Field[] {
  const branches = schema.anyOf as JsonSchema[] | undefined;
  if (branches && branches.every((b) => b.type === 'object')) return branches.map((b, i) => normalize(b, `${where} (shape ${i + 1})`));
  return [normalize(schema, where)];
}

/** A path through a body: property names, and 0 for the first entry of an array. */
export type Path = readonly (string | 0)[];

export const pathName = (path: Path) =>
  path
    .map((p) => (p === 0 ? '[]' : `.${p}`))
    .join('')
    .slice(1)
    .replace(/\.\[\]/g, '[]');

/** Every documented property at every depth, outermost first. */
export function documentedFields(field: Field, at: Path = []): { path: Path; field: Field; required: boolean }[] {
  const out: { path: Path; field: Field; required: boolean }[] = [];
  for (const [name, child] of Object.entries(field.properties ?? {})) {
    const path = [...at, name];
    out.push({ path, field: child, required: field.required!.includes(name) });
    if (child.kind === 'object') out.push(...documentedFields(child, path));
    if (child.kind === 'array' && child.items!.kind === 'object') out.push(...documentedFields(child.items!, [...path, 0]));
  }
  return out;
}

/** The documented property names, as `a`, `a.b` and `a[].b`. */
export const documentedNames = (shapes: Field[]) => new Set(shapes.flatMap((s) => documentedFields(s).map((f) => pathName(f.path))));

/** The names a parser declares it reads, in the same spelling; 'refusal-hint' names are not accepted, so not documented. */
export function declaredNames(declaration: BodyDeclaration, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [name, field] of Object.entries(declaration)) {
    if (field === 'refusal-hint') continue;
    out.add(prefix + name);
    if (Array.isArray(field)) for (const n of declaredNames(field[0] as BodyDeclaration, `${prefix}${name}[].`)) out.add(n);
    else if (typeof field === 'object') for (const n of declaredNames(field as BodyDeclaration, `${prefix}${name}.`)) out.add(n);
  }
  return out;
}

let unique = 0;

/**
 * A value that keeps every documented rule. `fixture` gives values the schema cannot describe
 * (ids of things that must exist), by path name. `full`: every optional property too.
 */
export async function validValue(field: Field, path: Path, full: boolean, fixture: (name: string) => unknown): Promise<unknown> {
  const given = fixture(pathName(path));
  if (given !== undefined) return typeof given === 'function' ? await (given as () => unknown)() : given;
  // Not the default, so that a reflected value shows it was read.
  if (field.enum) return field.enum.find((e) => e !== field.default) ?? field.enum[0];
  switch (field.kind) {
    case 'string':
      assert.ok(!field.format && !field.pattern, `${pathName(path)}: a value of this format needs a fixture`);
      return `v${++unique}-${pathName(path)}`.slice(0, field.maxLength ?? 255);
    case 'number':
    case 'integer':
      return ((field.minimum ?? 0) + (field.maximum ?? 0)) / 2;
    case 'boolean':
      return true;
    case 'array':
      return Promise.all(Array.from({ length: Math.max(1, field.minItems ?? 0) }, () => validValue(field.items!, [...path, 0], full, fixture)));
    case 'object': {
      const out: Record<string, unknown> = {};
      const names = Object.keys(field.properties!);
      const optional = names.filter((n) => !field.required!.includes(n));
      const chosen = full ? names : [...field.required!, ...optional.slice(0, field.minProperties ?? 0)];
      for (const name of chosen) out[name] = await validValue(field.properties![name]!, [...path, name], full, fixture);
      return out;
    }
  }
}

export interface Violation {
  what: string;
  value: unknown;
  /** The error codes a detail for it may have. */
  codes: readonly string[];
}

/** A value of another type than `field`'s (null is absent for the API, so never that). */
export function wrongType(field: Field): unknown {
  return { string: 12345, number: 'not a number', integer: 'not a number', boolean: 'not a boolean', object: 'not an object', array: 'not an array' }[
    field.kind
  ];
}

/** A value of the wrong type, and one breaking each documented rule; `valid` is a value that keeps them. */
export function violations(field: Field, valid: unknown): Violation[] {
  const invalid = ['InvalidValue'];
  const out: Violation[] = [];
  out.push({ what: `a ${typeof wrongType(field)} instead of ${field.kind}`, value: wrongType(field), codes: invalid });
  if (field.enum) {
    const outside = 'not-one-of-them';
    assert.ok(!field.enum.some((e) => String(e).toLowerCase() === outside));
    out.push({ what: 'a value outside the enum', value: outside, codes: invalid });
  }
  if (field.maxLength !== undefined) out.push({ what: `${field.maxLength + 1} characters`, value: 'a'.repeat(field.maxLength + 1), codes: invalid });
  if (field.format === 'uuid') out.push({ what: 'not a uuid', value: 'not-a-uuid', codes: invalid });
  if (field.pattern !== undefined) {
    assert.ok(!new RegExp(field.pattern).test('!'), `pattern ${field.pattern} accepts "!": pick another breaking value`);
    out.push({ what: `not matching ${field.pattern}`, value: '!', codes: invalid });
  }
  if (field.minimum !== undefined) out.push({ what: `below ${field.minimum}`, value: field.minimum - 1, codes: invalid });
  if (field.maximum !== undefined) out.push({ what: `above ${field.maximum}`, value: field.maximum + 1, codes: invalid });
  // Too few entries is also "missing" in the platform's words (no source files at all).
  const tooFew = ['InvalidValue', 'MissingRequiredProperty'];
  if (field.minItems) out.push({ what: `fewer than ${field.minItems} entries`, value: (valid as unknown[]).slice(0, field.minItems - 1), codes: tooFew });
  if (field.maxItems !== undefined) {
    out.push({ what: `more than ${field.maxItems} entries`, value: Array.from({ length: field.maxItems + 1 }, () => (valid as unknown[])[0]), codes: invalid });
  }
  if (field.minProperties) out.push({ what: `fewer than ${field.minProperties} properties`, value: {}, codes: tooFew });
  return out;
}

/** Whether a 422 detail's target names `path`: by its whole path or its own name, in any case, entry indexes aside. */
export function targets(target: string | undefined, path: Path): boolean {
  if (target === undefined) return false;
  const got = target.toLowerCase().replace(/\[\d+\]/g, '');
  const whole = pathName(path).toLowerCase().replace(/\[\]/g, '');
  const own = String(path.filter((p) => p !== 0).at(-1)).toLowerCase();
  return got === whole || got === own;
}

export function withValue(body: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let at = copy;
  for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

/** Every property name a response schema documents, at any depth, in lower case. */
export function responseNames(schema: JsonSchema | undefined, into = new Set<string>()): Set<string> {
  if (!schema || typeof schema !== 'object') return into;
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    into.add(name.toLowerCase());
    responseNames(child, into);
  }
  if (schema.items) responseNames(schema.items as JsonSchema, into);
  for (const branch of (schema.anyOf ?? []) as JsonSchema[]) responseNames(branch, into);
  return into;
}

/** Whether `actual` holds `expected`: equal values, objects with at least its properties, arrays with an entry for each of its entries. */
export function holds(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.every((e) => actual.some((a) => holds(a, e)));
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([k, v]) => holds((actual as Record<string, unknown>)[k], v));
  }
  return actual === expected;
}

/** Whether some property `name` (any case), anywhere in `response`, holds `value`. */
export function reflects(response: unknown, name: string, value: unknown): boolean {
  if (response === null || typeof response !== 'object') return false;
  for (const [key, child] of Object.entries(response)) {
    if (key.toLowerCase() === name.toLowerCase() && holds(child, value)) return true;
    if (reflects(child, name, value)) return true;
  }
  return false;
}

/** The JSON types a schema allows (through anyOf too), `integer` counted as `number`. */
function typesOf(schema: JsonSchema): Set<string> {
  if (Array.isArray(schema.anyOf)) return new Set((schema.anyOf as JsonSchema[]).flatMap((b) => [...typesOf(b)]));
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]) as string[];
  return new Set(types.map((t) => (t === 'integer' ? 'number' : t)));
}

const SAMPLES: Record<string, unknown> = { boolean: true, number: 7, string: 'kept', object: { nested: true }, array: [1] };

/** A value an `additionalProperties` schema allows (not null, which the API reads as absent). */
export function additionalValue(schema: JsonSchema): unknown {
  const type = ['boolean', 'number', 'string', 'object', 'array'].find((t) => typesOf(schema).has(t));
  assert.ok(type, 'additionalProperties allows some value');
  return SAMPLES[type];
}

/** A value of a JSON type an `additionalProperties` schema does not allow, or undefined when it allows every type. */
export function wrongAdditional(schema: JsonSchema): unknown {
  const type = ['object', 'array', 'string', 'number', 'boolean'].find((t) => !typesOf(schema).has(t));
  return type === undefined ? undefined : SAMPLES[type];
}
