import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchIfc, describeIfc } from './ifc.js';
import { cleanUp } from './processes.js';

/**
 * `npm run bench:ifc -- [--elements 5000] [--rounds 3] [--no-memory] [--memory-mb 50]
 * [--mesh-elements 250] [--triangles 1000] [--cpu-prof] [--json FILE]`: the IFC figures alone (bench/ifc.ts).
 * --cpu-prof also profiles one first conversion and one re-sync (profiles in .bench/profiles) and
 * prints where their time went.
 */
const { values } = parseArgs({
  options: {
    elements: { type: 'string' },
    rounds: { type: 'string' },
    'no-memory': { type: 'boolean' },
    'memory-mb': { type: 'string' },
    'mesh-elements': { type: 'string' },
    triangles: { type: 'string' },
    'cpu-prof': { type: 'boolean' },
    json: { type: 'string' },
  },
});
const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-bench-ifc-'));
try {
  const cpu = os.cpus();
  process.stdout.write(
    `machine: ${cpu.length} cores, ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; node ${process.version}\n`,
  );
  const result = await benchIfc({
    dataDir,
    elements: number(values.elements),
    rounds: number(values.rounds),
    memory: !values['no-memory'],
    memoryMB: number(values['memory-mb']),
    meshElements: number(values['mesh-elements']),
    trianglesPerElement: number(values.triangles),
    cpuProfDir: values['cpu-prof'] ? path.resolve(import.meta.dirname, '../.bench/profiles') : undefined,
  });
  process.stdout.write(describeIfc(result));
  if (values.json) fs.writeFileSync(values.json, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, ifc: result }, null, 2)}\n`);
} finally {
  await cleanUp();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
