/**
 * The builtin IFC connector's cost per task, without the HTTP bench around it:
 *
 *   npx tsx bench/ifc-only.ts [--tasks 20] [--walls 1000] [--large-tasks 3] [--only warm|one-task]
 *
 * Task after task on one connector, as one worker loop calls it: first a one-wall file `--tasks`
 * times (what a task costs whatever its content: the fixed cost), then a generated file of
 * `--walls` walls `--large-tasks` times. Each task is the first version of an iModel of its own,
 * as in bench/ifc.ts. Prints the first task apart (it may start the converter), then the median,
 * minimum and maximum of the rest, and the machine.
 *
 * Two converters, one after the other in the same run (so that both see the same machine): `one-task`,
 * a new converter process per task (convert-program.ts through the command connector, as the builtin
 * connector ran every task before its converters were kept warm), and `warm`, the builtin connector
 * as it is (converter-pool.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BuiltinIfcConnector, builtinIfcUnavailable } from '../src/connectors/builtin-ifc.js';
import { parseConnectorsConfig, type BuiltinSettings } from '../src/connectors/config.js';
import { CommandConnector } from '../src/connectors/command.js';
import type { Connector, ConnectorInput } from '../src/connectors/connector.js';
import { CONVERTER_ARGS, itwinCacheDir } from '../src/connectors/ifc/converter.js';
import { CANNOT_CONVERT_EXIT_CODE } from '../src/connectors/ifc/exit-codes.js';
import { ifcWithWalls } from './ifc.js';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20' },
    walls: { type: 'string', default: '1000' },
    'large-tasks': { type: 'string', default: '3' },
    only: { type: 'string' },
  },
});
const unavailable = builtinIfcUnavailable();
if (unavailable) {
  process.stdout.write(`ifc-only: skipped: ${unavailable}\n`);
  process.exit(0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-ifc-only-'));
const settings = parseConnectorsConfig({ types: { IFC: { kind: 'builtin' } } }, 'bench').types.IFC as BuiltinSettings;

async function convert(connector: Connector, content: string): Promise<number> {
  const n = randomUUID();
  const filePath = path.join(dir, `${n}.ifc`);
  fs.writeFileSync(filePath, content);
  const outputDir = path.join(dir, 'work', n);
  fs.mkdirSync(outputDir, { recursive: true });
  const input: ConnectorInput = {
    action: 'sync',
    connectorType: 'IFC',
    iModelId: n,
    sourceFileId: n,
    storageFileId: n,
    fileName: `${n}.ifc`,
    filePath,
    size: Buffer.byteLength(content),
    contentHash: createHash('sha256').update(content).digest('hex'),
    outputDir,
    attempt: 0,
    signal: new AbortController().signal,
    changeset: { id: createHash('sha1').update(n).digest('hex'), index: 1, parentId: '' },
    checkpoint: { base: null, target: path.join(dir, 'imodels', n, 'checkpoints', '1.bim'), iTwinId: randomUUID() },
  };
  const started = performance.now();
  await connector.run(input);
  return performance.now() - started;
}

async function series(connector: Connector, label: string, content: string, count: number): Promise<void> {
  const first = await convert(connector, content);
  const rest: number[] = [];
  for (let i = 0; i < count; i++) rest.push(await convert(connector, content));
  rest.sort((a, b) => a - b);
  const median = rest.length % 2 ? rest[(rest.length - 1) / 2]! : (rest[rest.length / 2 - 1]! + rest[rest.length / 2]!) / 2;
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  process.stdout.write(`${label}: first task ${ms(first)}; then ${count} tasks: median ${ms(median)}, min ${ms(rest[0]!)}, max ${ms(rest.at(-1)!)}\n`);
}

const converters: Record<string, () => Connector> = {
  'one-task': () =>
    new CommandConnector({
      kind: 'command',
      command: process.execPath,
      args: [...CONVERTER_ARGS],
      timeoutMs: settings.timeoutMs,
      killGraceMs: settings.killGraceMs,
      env: { TWINSYNC_ITWIN_CACHE_DIR: itwinCacheDir(dir) },
      permanentExitCodes: [CANNOT_CONVERT_EXIT_CODE],
    }),
  warm: () => new BuiltinIfcConnector(settings, dir),
};

try {
  const cpus = os.cpus();
  process.stdout.write(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${os.platform()} ${os.release()}\n`);
  for (const [name, make] of Object.entries(converters)) {
    if (values.only && values.only !== name) continue;
    const connector = make();
    try {
      await series(connector, `${name}: one wall`, ifcWithWalls(1), Number(values.tasks));
      await series(connector, `${name}: ${values.walls} walls`, ifcWithWalls(Number(values.walls)), Number(values['large-tasks']));
      if (connector instanceof BuiltinIfcConnector) {
        // Linux: what the warm converters hold after the series (VmRSS, in kB).
        const rss = connector.converterPids().map((pid) => /VmRSS:\s*(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
        process.stdout.write(
          `${name}: converter processes ${connector.converterPids().length}, resident ${rss.map((kb) => `${Math.round(Number(kb) / 1024)} MiB`).join(', ')}\n`,
        );
      }
    } finally {
      await connector.close?.();
    }
  }
  process.stdout.write(
    `load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
