/**
 * The builtin IFC connector's cost per task, without the HTTP bench around it:
 *
 *   npx tsx bench/ifc-warm.ts [--tasks 20] [--walls 1000] [--large-tasks 3] [--only warm|one-task]
 *
 * Task after task on one connector, as one worker loop calls it: first a one-wall file `--tasks`
 * times (what a task costs whatever its content: the fixed cost), each the first version of an
 * iModel of its own, as in bench/ifc.ts; then the same file as `--tasks` next versions of one iModel
 * (a re-sync: the version is copied from the previous one, its schemas there already); then a
 * generated file of `--walls` walls `--large-tasks` times, each a first version. Prints the first task apart (it may start the converter), then the median,
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
import { CONVERTER_ARGS, CONVERTER_ENV, itwinCacheDir } from '../src/connectors/ifc/converter.js';
import { CANNOT_CONVERT_EXIT_CODE } from '../src/connectors/ifc/exit-codes.js';
import { ifcWithWalls } from './ifc-walls.js';

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
  process.stdout.write(`ifc-warm: skipped: ${unavailable}\n`);
  process.exit(0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-ifc-warm-'));
const settings = parseConnectorsConfig({ types: { IFC: { kind: 'builtin' } } }, 'bench').types.IFC as BuiltinSettings;

/** The iModel the `next version` series adds versions to: its id and latest version. */
const chain = { iModelId: randomUUID(), index: 0, file: null as string | null };

/**
 * One task: the first version of an iModel of its own, or (`nextVersion`) the next version of one
 * shared iModel, made from its latest (a copy that holds the schemas already: a re-sync).
 */
async function convert(connector: Connector, content: string, nextVersion = false): Promise<number> {
  const n = randomUUID();
  const iModelId = nextVersion ? chain.iModelId : n;
  const index = nextVersion ? chain.index + 1 : 1;
  const target = path.join(dir, 'imodels', iModelId, 'checkpoints', `${index}.bim`);
  const filePath = path.join(dir, `${n}.ifc`);
  fs.writeFileSync(filePath, content);
  const outputDir = path.join(dir, 'work', n);
  fs.mkdirSync(outputDir, { recursive: true });
  const input: ConnectorInput = {
    action: 'sync',
    connectorType: 'IFC',
    iModelId,
    sourceFileId: nextVersion ? 'chain' : n,
    storageFileId: n,
    fileName: `${n}.ifc`,
    filePath,
    size: Buffer.byteLength(content),
    contentHash: createHash('sha256').update(content).digest('hex'),
    outputDir,
    attempt: 0,
    signal: new AbortController().signal,
    changeset: { id: createHash('sha1').update(n).digest('hex'), index, parentId: '' },
    checkpoint: { base: nextVersion ? chain.file : null, target, iTwinId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' },
  };
  const started = performance.now();
  await connector.run(input);
  const ms = performance.now() - started;
  if (nextVersion) Object.assign(chain, { index, file: target });
  return ms;
}

async function series(connector: Connector, label: string, content: string, count: number, nextVersion = false): Promise<void> {
  const first = await convert(connector, content, nextVersion);
  const rest: number[] = [];
  for (let i = 0; i < count; i++) rest.push(await convert(connector, content, nextVersion));
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
      env: { ...CONVERTER_ENV, TWINSYNC_ITWIN_CACHE_DIR: itwinCacheDir(dir) },
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
      await series(connector, `${name}: one wall, next version of one iModel`, ifcWithWalls(1), Number(values.tasks), true);
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
