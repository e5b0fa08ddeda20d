import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { build } from '../scripts/build.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface StartupBenchResult {
  runs: number;
  /** Spawn → first 200 from GET /health/live, `node dist/main.js` (what `npm start` runs), fresh DATA_DIR each time. */
  twinsyncMs: number[];
  /** Spawn → exit of `node -e ''` on the same machine, in the same run: what starting Node alone costs here. */
  nodeMs: number[];
  twinsyncMedianMs: number;
  nodeMedianMs: number;
  /** twinsync's median minus Node's: what twinsync's own start-up adds. */
  addedMedianMs: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function nodeAlone(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return performance.now() - started;
}

async function twinsyncToReady(program: string): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-bench-startup-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [program], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      const status = await fetch(`http://127.0.0.1:${port}/health/live`).then(
        (res) => res.status,
        () => undefined,
      );
      if (status === 200) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`twinsync exited (${child.exitCode}) before it answered`);
      if (performance.now() - started > 30_000) throw new Error('twinsync did not answer within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * First start to ready: from spawning `node dist/main.js` on an empty data folder (SQLite, built-in
 * issuer, in-process worker: `npm start`'s defaults) to the first 200 of GET /health/live, `runs`
 * times, alternating with spawning `node -e ''`, the baseline of the same run: a busy machine slows
 * both. dist/ is built first when it is not current (not counted: `npm ci` builds it).
 */
export async function benchStartup(runs = 5): Promise<StartupBenchResult> {
  await build();
  const program = path.join(ROOT, 'dist/main.js');
  const twinsyncMs: number[] = [];
  const nodeMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    nodeMs.push(await nodeAlone());
    twinsyncMs.push(await twinsyncToReady(program));
  }
  const twinsyncMedianMs = median(twinsyncMs);
  const nodeMedianMs = median(nodeMs);
  return { runs, twinsyncMs, nodeMs, twinsyncMedianMs, nodeMedianMs, addedMedianMs: twinsyncMedianMs - nodeMedianMs };
}

export function describeStartup(result: StartupBenchResult): string {
  const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
  return (
    `startup: first start to ready (spawn → GET /health/live 200, fresh DATA_DIR) median ${result.twinsyncMedianMs.toFixed(0)} ms ` +
    `(${list(result.twinsyncMs)}); node -e '' median ${result.nodeMedianMs.toFixed(0)} ms (${list(result.nodeMs)}); ` +
    `twinsync adds ${result.addedMedianMs.toFixed(0)} ms\n`
  );
}

// `npx tsx bench/startup.ts [runs]`: the startup figure alone.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const result = await benchStartup(Number(process.argv[2] ?? 5));
  process.stdout.write(describeStartup(result));
}
