import fs from 'node:fs';
import path from 'node:path';
import { programFailure, programOutcome, TAIL_BYTES, takeSlot, taskEnvironment } from './command.js';
import type { BuiltinSettings } from './config.js';
import type { Connector, ConnectorInput, ConnectorOutcome } from './connector.js';
import { connectorErrors } from './errors.js';
import { checkSourceFile } from './file-check.js';
import { type ProcessSlots, UNLIMITED_PROCESSES } from './process-slots.js';
import type { ProgramResult } from './run-program.js';
import { ConverterPool } from './ifc/converter-pool.js';
import { CONVERTER_ENV, itwinCacheDir, WARM_CONVERTER_ARGS } from './ifc/converter.js';
import { CANNOT_CONVERT_EXIT_CODE } from './ifc/exit-codes.js';
import { ifcSettingsEnvironment } from './ifc/ifc-settings.js';
import { ELEMENT_CHANGES_FILE } from './ifc/element-changes-file.js';
import { type ChangedElements, fromChangedElements, toChangedElements } from '../domain/changed-elements/model.js';

/**
 * Real conversion of IFC: each task runs convert-task.ts (web-ifc reads the file, iTwin.js writes
 * the task's version of the iModel, a new Snapshot iModel at the input's `checkpoint.target` made
 * from `checkpoint.base`) in a converter process kept warm between tasks (ifc/converter-pool.ts,
 * ifc/warm-program.ts): native code never runs in the worker's process, and loading it is paid once
 * per process, not per task. A task ends and fails as a one-task program would through the command
 * connector (time limit, abort and crash kill the process group; stderr goes into the task error;
 * exit code 2 means the file cannot be converted). The stored file is checked first, as every
 * connector does. The task's details say `emulated: false` and what was converted; the outcome
 * carries the new file's size. close() ends the converter processes.
 */
export class BuiltinIfcConnector implements Connector {
  readonly kind = 'builtin';
  readonly writesVersionFiles = true;
  // clampZExtent and ignoreIfcGlobalIds (docs/connectors.md, "Configurations"), as variables of the task.
  readonly usesSettings = true;
  private readonly pool: ConverterPool;

  constructor(
    private readonly settings: BuiltinSettings,
    dataDir: string,
    /** Shared with the worker's other connectors: converters at once (CONNECTOR_PROCESSES). */
    private readonly slots: ProcessSlots = UNLIMITED_PROCESSES,
  ) {
    const missing = builtinIfcUnavailable();
    if (missing) throw new Error(`CONNECTORS: types.IFC is "builtin", but ${missing}`);
    const cacheDir = itwinCacheDir(dataDir);
    this.pool = new ConverterPool({
      command: process.execPath,
      args: WARM_CONVERTER_ARGS,
      env: { ...process.env, ...CONVERTER_ENV, TWINSYNC_ITWIN_CACHE_DIR: cacheDir },
      cacheDir,
      killGraceMs: settings.killGraceMs,
      tailBytes: TAIL_BYTES,
      recycleAfterTasks: settings.recycleAfterTasks,
      recycleAboveMb: settings.recycleAboveMb,
    });
  }

  async run(input: ConnectorInput): Promise<ConnectorOutcome> {
    if (input.signal.aborted) throw connectorErrors.aborted(input.fileName);
    if (input.action === 'sync') await checkSourceFile(input);
    await fs.promises.mkdir(input.outputDir, { recursive: true });
    const env = { ...taskEnvironment(input), ...ifcSettingsEnvironment(input.settings) };
    const release = await takeSlot(this.slots, input);
    let result: ProgramResult;
    try {
      result = await this.pool.run(env, input.signal, this.settings.timeoutMs);
    } finally {
      release();
    }
    const failure = programFailure(
      result,
      { command: process.execPath, timeoutMs: this.settings.timeoutMs, permanentExitCodes: [CANNOT_CONVERT_EXIT_CODE] },
      input.fileName,
    );
    if (failure) throw failure;
    const outcome = await programOutcome(input);
    const details = await conversionDetails(input.outputDir);
    const size = (details.conversion as { checkpoint?: { size?: unknown } } | undefined)?.checkpoint?.size;
    const checkpoint = outcome.checkpoint ?? (typeof size === 'number' ? { size } : undefined);
    // The converter renames the file into place before it reports success: this would be a bug.
    if (!checkpoint) throw connectorErrors.programExit(0, 'The IFC converter exited without writing the new version of the iModel.', true);
    const elementChanges = await elementChangesOf(input.outputDir);
    return { ...outcome, details: { ...outcome.details, ...details }, checkpoint, elementChanges };
  }

  /** Ends the converter processes (a task still running is killed) and waits for them to exit. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** The converter processes alive now (ids): for tests and diagnostics. */
  converterPids(): number[] {
    return this.pool.pids;
  }
}

/**
 * Why the builtin IFC connector cannot run here, or undefined when it can. iTwin.js is an optional
 * dependency: its native library exists for a few platforms only (Linux x64, Windows x64, macOS
 * arm64), and elsewhere npm leaves it out rather than fail the whole install.
 */
export function builtinIfcUnavailable(): string | undefined {
  for (const name of ['@itwin/core-backend', 'web-ifc']) {
    try {
      import.meta.resolve(name);
    } catch {
      return `${name} is not installed (iTwin.js's native library supports Linux x64, Windows x64 and macOS arm64; npm skips it elsewhere)`;
    }
  }
  return undefined;
}

/**
 * The elements the converter inserted, updated and deleted (docs/changed-elements.md). The
 * converter writes them before it reports success: a missing or malformed file is a bug, and fails
 * the attempt rather than record a changeset whose comparison would be silently empty.
 */
async function elementChangesOf(outputDir: string): Promise<ChangedElements> {
  const text = await fs.promises.readFile(path.join(outputDir, ELEMENT_CHANGES_FILE), 'utf8');
  const changes = fromChangedElements(JSON.parse(text));
  if (!changes) throw connectorErrors.programExit(0, 'The IFC converter wrote element changes that are not in the expected shape.', true);
  return toChangedElements(changes);
}

async function conversionDetails(outputDir: string): Promise<Record<string, unknown>> {
  try {
    return { conversion: JSON.parse(await fs.promises.readFile(path.join(outputDir, 'conversion.json'), 'utf8')) as unknown, emulated: false };
  } catch {
    return { emulated: false };
  }
}
