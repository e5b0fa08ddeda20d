import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { imodelsDir } from '../domain/imodels/imodel-file.js';
import { CommandConnector } from './command.js';
import type { BuiltinSettings } from './config.js';
import type { Connector, ConnectorInput, ConnectorOutcome } from './connector.js';
import { connectorErrors } from './errors.js';
import { checkSourceFile } from './file-check.js';
import { CANNOT_CONVERT_EXIT_CODE } from './ifc/exit-codes.js';

// Compiled (dist/main.js, scripts/build.mjs), the converter is dist/ifc-convert.js and runs on node
// alone; from the sources (tests, tsx), it is ifc/convert-program.ts and runs through tsx.
const COMPILED = import.meta.url.endsWith('.js');
const CONVERTER = fileURLToPath(new URL(COMPILED ? './ifc-convert.js' : './ifc/convert-program.ts', import.meta.url));

/**
 * Real conversion of IFC: each task runs ifc/convert-program.ts (web-ifc reads the file, iTwin.js
 * writes the iModel, `<DATA_DIR>/imodels/<iModelId>.bim`) as a child process, through the command
 * connector's machinery (time limit, abort, process-group kill, stderr into the task error). The
 * stored file is checked first, as every connector does. The task's details say `emulated: false`
 * and what was converted.
 */
export class BuiltinIfcConnector implements Connector {
  readonly kind = 'builtin';
  private readonly program: CommandConnector;

  constructor(settings: BuiltinSettings, dataDir: string) {
    const missing = builtinIfcUnavailable();
    if (missing) throw new Error(`CONNECTORS: types.IFC is "builtin", but ${missing}`);
    this.program = new CommandConnector({
      kind: 'command',
      command: process.execPath,
      // tsx by absolute URL: the program runs in the task's output folder, outside node_modules' reach.
      args: COMPILED ? [CONVERTER] : ['--import', import.meta.resolve('tsx'), CONVERTER],
      timeoutMs: settings.timeoutMs,
      killGraceMs: settings.killGraceMs,
      env: { TWINSYNC_IMODELS_DIR: imodelsDir(dataDir) },
      permanentExitCodes: [CANNOT_CONVERT_EXIT_CODE],
    });
  }

  async run(input: ConnectorInput): Promise<ConnectorOutcome> {
    if (input.signal.aborted) throw connectorErrors.aborted(input.fileName);
    if (input.action === 'sync') await checkSourceFile(input);
    const outcome = await this.program.run(input);
    return { ...outcome, details: { ...outcome.details, ...(await conversionDetails(input.outputDir)) } };
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
