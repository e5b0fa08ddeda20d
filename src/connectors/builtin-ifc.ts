import fs from 'node:fs';
import path from 'node:path';
import { CommandConnector } from './command.js';
import { CONVERTER_ARGS, itwinCacheDir } from './ifc/converter.js';
import type { BuiltinSettings } from './config.js';
import type { Connector, ConnectorInput, ConnectorOutcome } from './connector.js';
import { connectorErrors } from './errors.js';
import { checkSourceFile } from './file-check.js';
import { CANNOT_CONVERT_EXIT_CODE } from './ifc/exit-codes.js';

/**
 * Real conversion of IFC: each task runs ifc/convert-program.ts (web-ifc reads the file, iTwin.js
 * writes the task's version of the iModel, a new Snapshot iModel at the input's `checkpoint.target`
 * made from `checkpoint.base`) as a child process, through the command connector's machinery (time
 * limit, abort, process-group kill, stderr into the task error). The stored file is checked first,
 * as every connector does. The task's details say `emulated: false` and what was converted; the
 * outcome carries the new file's size.
 */
export class BuiltinIfcConnector implements Connector {
  readonly kind = 'builtin';
  readonly writesVersionFiles = true;
  private readonly program: CommandConnector;

  constructor(settings: BuiltinSettings, dataDir: string) {
    const missing = builtinIfcUnavailable();
    if (missing) throw new Error(`CONNECTORS: types.IFC is "builtin", but ${missing}`);
    this.program = new CommandConnector({
      kind: 'command',
      command: process.execPath,
      args: [...CONVERTER_ARGS],
      timeoutMs: settings.timeoutMs,
      killGraceMs: settings.killGraceMs,
      env: { TWINSYNC_ITWIN_CACHE_DIR: itwinCacheDir(dataDir) },
      permanentExitCodes: [CANNOT_CONVERT_EXIT_CODE],
    });
  }

  async run(input: ConnectorInput): Promise<ConnectorOutcome> {
    if (input.signal.aborted) throw connectorErrors.aborted(input.fileName);
    if (input.action === 'sync') await checkSourceFile(input);
    const outcome = await this.program.run(input);
    const details = await conversionDetails(input.outputDir);
    const size = (details.conversion as { checkpoint?: { size?: unknown } } | undefined)?.checkpoint?.size;
    const checkpoint = outcome.checkpoint ?? (typeof size === 'number' ? { size } : undefined);
    // The converter renames the file into place before it reports success: this would be a bug.
    if (!checkpoint) throw connectorErrors.programExit(0, 'The IFC converter exited without writing the new version of the iModel.', true);
    return { ...outcome, details: { ...outcome.details, ...details }, checkpoint };
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

async function conversionDetails(outputDir: string): Promise<Record<string, unknown>> {
  try {
    return { conversion: JSON.parse(await fs.promises.readFile(path.join(outputDir, 'conversion.json'), 'utf8')) as unknown, emulated: false };
  } catch {
    return { emulated: false };
  }
}
