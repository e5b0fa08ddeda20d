import path from 'node:path';
import { CONNECTOR_TYPES, parseConnectorType, type ConnectorType } from '../domain/connector-types.js';
import { ConfigReader } from './config-reader.js';

export { ConnectorsConfigError } from './config-reader.js';

/**
 * Which connector serves each connector type. Parsed once (from `CONNECTORS` or `CONNECTORS_FILE`,
 * see src/config.ts) into a frozen object; docs/connectors.md is the user-facing description.
 *
 * ```jsonc
 * {
 *   "default": { "kind": "emulate", "durationMs": 200 },       // every type not named in "types"
 *   "types": {                                                  // keys matched case-insensitively
 *     "IFC": { "kind": "command", "command": "/opt/ifc/convert", "args": ["{input}", "{output}"],
 *              "timeoutMs": 3600000, "env": { "LICENSE_SERVER": "lic:27000" } },
 *     "IFC": { "kind": "builtin", "timeoutMs": 3600000,         // real conversion (IFC only) in
 *              "recycleAfterTasks": 50, "recycleAboveMb": 1024 },  // converter processes kept warm
 *     "DWG": { "kind": "emulate", "durationMs": 50, "outcomes": [
 *       { "fileName": "*broken*", "result": "Error", "errorCode": "DWG_BAD", "retryable": false },
 *       { "fileName": "*.flaky.dwg", "result": "Flaky", "failAttempts": 2 },
 *       { "fileName": "*-warn.*", "result": "Warning", "durationMs": 0 } ] }
 *   }
 * }
 * ```
 * Unknown fields are errors (a typo must not silently fall back to a default).
 */
export interface ConnectorsConfig {
  readonly default: ConnectorSettings;
  /** Every connector type; the ones not named share the `default` object (so they share a connector). */
  readonly types: Readonly<Record<ConnectorType, ConnectorSettings>>;
}

export type ConnectorSettings = EmulateSettings | CommandSettings | BuiltinSettings;

/** Real conversion inside twinsync (builtin-ifc.ts): IFC only. */
export interface BuiltinSettings {
  readonly kind: 'builtin';
  readonly timeoutMs: number;
  /** After SIGTERM (timeout or abort), how long before the converter gets SIGKILL. */
  readonly killGraceMs: number;
  /** A warm converter process is replaced after this many tasks (converter-pool.ts). */
  readonly recycleAfterTasks: number;
  /** ... or as soon as a task leaves its resident memory above this many MiB. */
  readonly recycleAboveMb: number;
}

/** The connector types twinsync converts itself. */
export const BUILTIN_TYPES: readonly ConnectorType[] = ['IFC'];

export interface EmulateSettings {
  readonly kind: 'emulate';
  /** How long a task takes unless its outcome rule says otherwise. */
  readonly durationMs: number;
  /** First match wins; no match = `Success`. */
  readonly outcomes: readonly OutcomeRule[];
  /** Record the connection's resolved configuration in each task's details (default false: no read for it). */
  readonly recordSettings: boolean;
}

export const OUTCOME_RESULTS = ['Success', 'Warning', 'Error', 'Flaky'] as const;
export type OutcomeResult = (typeof OUTCOME_RESULTS)[number];

export interface OutcomeRule {
  /** Matches tasks of this connector type (absent = any). */
  readonly connectorType?: ConnectorType;
  /** Matches file names against this `*` / `?` pattern, case-insensitively (absent = any). */
  readonly fileName?: string;
  /** `Warning` = success with warnings in the report; `Error` fails every attempt; `Flaky` fails the first `failAttempts`. */
  readonly result: OutcomeResult;
  /** `Flaky` only. */
  readonly failAttempts?: number;
  readonly durationMs?: number;
  /** `Error` / `Flaky` only: the task error's code (default `TWINSYNC_EMULATED_ERROR` / `TWINSYNC_EMULATED_FLAKY`). */
  readonly errorCode?: string;
  /** The task error's message (`Error` / `Flaky`) or the report's message (`Success` / `Warning`). */
  readonly message?: string;
  /** `Error` only (a `Flaky` failure is retryable by definition). Default true. */
  readonly retryable: boolean;
}

export interface CommandSettings {
  readonly kind: 'command';
  /** A path (made absolute at parse time: the program runs in its output folder) or a name looked up in PATH. */
  readonly command: string;
  /** With `{input}`, `{output}`, `{type}`, `{fileName}` substituted. */
  readonly args: readonly string[];
  readonly timeoutMs: number;
  /** After SIGTERM (timeout or abort), how long before the process group gets SIGKILL. */
  readonly killGraceMs: number;
  /** Added to the server's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Exit codes that mean "this file will never convert": the task fails without retries. */
  readonly permanentExitCodes: readonly number[];
}

export const DEFAULT_EMULATE_DURATION_MS = 200;
export const DEFAULT_COMMAND_TIMEOUT_MS = 3600_000;
export const DEFAULT_KILL_GRACE_MS = 5_000;
export const DEFAULT_RECYCLE_AFTER_TASKS = 50;
export const DEFAULT_RECYCLE_ABOVE_MB = 1024;
export const COMMAND_PLACEHOLDERS = ['input', 'output', 'type', 'fileName'] as const;

/** The largest delay setTimeout honours (longer ones fire at once). */
const MAX_MS = 2_147_483_647;

export function defaultConnectorsConfig(): ConnectorsConfig {
  return build({ kind: 'emulate', durationMs: DEFAULT_EMULATE_DURATION_MS, outcomes: [], recordSettings: false }, new Map());
}

/** `source` names where the value came from (`CONNECTORS`, a file path) in error messages. */
export function parseConnectorsConfig(value: unknown, source: string): ConnectorsConfig {
  // Annotated so its `never`-returning fail() narrows types (TypeScript requires it).
  const r: ConfigReader = new ConfigReader(source);
  const top = r.object(value, '', ['default', 'types']);
  const fallback: ConnectorSettings =
    top.default === undefined
      ? { kind: 'emulate', durationMs: DEFAULT_EMULATE_DURATION_MS, outcomes: [], recordSettings: false }
      : connectorSettings(r, top.default, 'default');
  const named = new Map<ConnectorType, ConnectorSettings>();
  if (top.types !== undefined) {
    const entries = Object.entries(r.object(top.types, 'types'));
    for (const [key, entry] of entries) {
      const type = parseConnectorType(key);
      if (!type) r.fail(`types.${key}`, `is not a connector type (one of ${CONNECTOR_TYPES.join(', ')})`);
      if (named.has(type)) r.fail(`types.${key}`, `names ${type} a second time`);
      named.set(type, connectorSettings(r, entry, `types.${key}`, type));
    }
  }
  return build(fallback, named);
}

function build(fallback: ConnectorSettings, named: Map<ConnectorType, ConnectorSettings>): ConnectorsConfig {
  const types = Object.fromEntries(CONNECTOR_TYPES.map((t) => [t, named.get(t) ?? fallback])) as Record<ConnectorType, ConnectorSettings>;
  return deepFreeze({ default: fallback, types });
}

/** `type`: the connector type the settings are for; absent for `default`. */
function connectorSettings(r: ConfigReader, value: unknown, at: string, type?: ConnectorType): ConnectorSettings {
  const kind = r.object(value, at).kind ?? 'emulate';
  if (kind === 'emulate') return emulateSettings(r, value, at);
  if (kind === 'command') return commandSettings(r, value, at);
  if (kind === 'builtin') {
    if (!type || !BUILTIN_TYPES.includes(type)) {
      r.fail(`${at}.kind`, `"builtin" converts ${BUILTIN_TYPES.join(', ')} only: name it under types.${BUILTIN_TYPES[0]}`, kind);
    }
    return builtinSettings(r, value, at);
  }
  return r.fail(`${at}.kind`, `must be "emulate", "command" or "builtin"`, kind);
}

/** The time limit and kill grace of a connector that runs a program (`command`, and `builtin`'s converter). */
function processLimits(r: ConfigReader, o: Record<string, unknown>, at: string): { timeoutMs: number; killGraceMs: number } {
  return {
    timeoutMs: r.integer(o.timeoutMs, `${at}.timeoutMs`, 1, MAX_MS) ?? DEFAULT_COMMAND_TIMEOUT_MS,
    killGraceMs: r.integer(o.killGraceMs, `${at}.killGraceMs`, 0, 600_000) ?? DEFAULT_KILL_GRACE_MS,
  };
}

function builtinSettings(r: ConfigReader, value: unknown, at: string): BuiltinSettings {
  const o = r.object(value, at, ['kind', 'timeoutMs', 'killGraceMs', 'recycleAfterTasks', 'recycleAboveMb']);
  return {
    kind: 'builtin',
    ...processLimits(r, o, at),
    recycleAfterTasks: r.integer(o.recycleAfterTasks, `${at}.recycleAfterTasks`, 1, 1_000_000) ?? DEFAULT_RECYCLE_AFTER_TASKS,
    // A converter with iTwin.js and web-ifc loaded holds about 200 MiB before any work.
    recycleAboveMb: r.integer(o.recycleAboveMb, `${at}.recycleAboveMb`, 1, 1_048_576) ?? DEFAULT_RECYCLE_ABOVE_MB,
  };
}

function emulateSettings(r: ConfigReader, value: unknown, at: string): EmulateSettings {
  const o = r.object(value, at, ['kind', 'durationMs', 'outcomes', 'recordSettings']);
  const outcomes = o.outcomes === undefined ? [] : r.array(o.outcomes, `${at}.outcomes`);
  return {
    kind: 'emulate',
    durationMs: r.integer(o.durationMs, `${at}.durationMs`, 0, MAX_MS) ?? DEFAULT_EMULATE_DURATION_MS,
    outcomes: outcomes.map((rule, i) => outcomeRule(r, rule, `${at}.outcomes[${i}]`)),
    recordSettings: r.boolean(o.recordSettings, `${at}.recordSettings`) ?? false,
  };
}

function outcomeRule(r: ConfigReader, value: unknown, at: string): OutcomeRule {
  const o = r.object(value, at, ['connectorType', 'fileName', 'result', 'failAttempts', 'durationMs', 'errorCode', 'message', 'retryable']);
  const result = r.oneOf(o.result, `${at}.result`, OUTCOME_RESULTS);
  if (result === undefined) r.fail(`${at}.result`, `is required (one of ${OUTCOME_RESULTS.join(', ')})`);
  const onlyFor = (field: string, allowed: readonly OutcomeResult[]) => {
    if (o[field] !== undefined && !allowed.includes(result)) r.fail(`${at}.${field}`, `applies only to result ${allowed.join(' or ')}`);
  };
  onlyFor('failAttempts', ['Flaky']);
  onlyFor('errorCode', ['Error', 'Flaky']);
  onlyFor('retryable', ['Error']);

  let connectorType: ConnectorType | undefined;
  const rawType = r.string(o.connectorType, `${at}.connectorType`);
  if (rawType !== undefined) {
    connectorType = parseConnectorType(rawType);
    if (!connectorType) r.fail(`${at}.connectorType`, `must be one of ${CONNECTOR_TYPES.join(', ')}`, rawType);
  }
  const failAttempts = r.integer(o.failAttempts, `${at}.failAttempts`, 1, 1000);
  if (result === 'Flaky' && failAttempts === undefined) r.fail(`${at}.failAttempts`, 'is required for result Flaky (a whole number from 1)');
  const errorCode = r.string(o.errorCode, `${at}.errorCode`);
  if (errorCode !== undefined && !/^[A-Za-z0-9_.-]{1,100}$/.test(errorCode)) {
    r.fail(`${at}.errorCode`, 'must be 1-100 letters, digits, "_", "." or "-"', errorCode);
  }
  return {
    ...(connectorType && { connectorType }),
    ...optional('fileName', r.string(o.fileName, `${at}.fileName`, 1000)),
    result,
    ...optional('failAttempts', failAttempts),
    ...optional('durationMs', r.integer(o.durationMs, `${at}.durationMs`, 0, MAX_MS)),
    ...optional('errorCode', errorCode),
    ...optional('message', r.string(o.message, `${at}.message`, 1000)),
    retryable: r.boolean(o.retryable, `${at}.retryable`) ?? true,
  };
}

function commandSettings(r: ConfigReader, value: unknown, at: string): CommandSettings {
  const o = r.object(value, at, ['kind', 'command', 'args', 'timeoutMs', 'killGraceMs', 'env', 'permanentExitCodes']);
  if (o.command === undefined) r.fail(`${at}.command`, 'is required for kind "command" (the program to run)');
  const command = r.requiredString(o.command, `${at}.command`, 4096);
  const args =
    o.args === undefined ? ['{input}', '{output}'] : r.array(o.args, `${at}.args`).map((a, i) => r.requiredString(a, `${at}.args[${i}]`, 4096, true));
  args.forEach((arg, i) => {
    for (const [, name] of arg.matchAll(/\{([A-Za-z]+)\}/g)) {
      if (!(COMMAND_PLACEHOLDERS as readonly string[]).includes(name!)) {
        r.fail(`${at}.args[${i}]`, `uses the unknown placeholder {${name}} (known: ${COMMAND_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`);
      }
    }
  });
  const env: Record<string, string> = {};
  for (const [name, v] of Object.entries(o.env === undefined ? {} : r.object(o.env, `${at}.env`))) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) r.fail(`${at}.env.${name}`, 'is not a valid environment variable name');
    if (name.toUpperCase().startsWith('TWINSYNC_')) r.fail(`${at}.env.${name}`, 'is reserved (twinsync sets the TWINSYNC_* variables itself)');
    env[name] = r.requiredString(v, `${at}.env.${name}`, 32_768, true);
  }
  const exitCodes = o.permanentExitCodes === undefined ? [] : r.array(o.permanentExitCodes, `${at}.permanentExitCodes`);
  return {
    kind: 'command',
    // The program runs with its output folder as working directory, so a relative path would
    // resolve there; fix it against the server's directory now. Bare names are looked up in PATH.
    command: command.includes('/') || command.includes('\\') ? path.resolve(command) : command,
    args,
    ...processLimits(r, o, at),
    env,
    permanentExitCodes: exitCodes.map((c, i) => r.requiredInteger(c, `${at}.permanentExitCodes[${i}]`, 1, 4_294_967_295)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
