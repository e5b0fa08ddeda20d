import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { build } from '../../scripts/build.mjs';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it wrote to stdout so far. */
  output(): string;
  /** Everything it wrote to stderr so far (where Node writes why a process crashed). */
  errors(): string;
  exited: Promise<number | null>;
}

/**
 * What `npm start` runs: `node dist/main.js`, compiled from src/ first when dist/ is older than the
 * sources (scripts/build.mjs: a no-op when current, a fraction of a second when not), so that the
 * tests run the code users run, as it is in the working tree. Once per test file.
 */
let built: Promise<unknown> | undefined;
export async function buildService(): Promise<string> {
  await (built ??= build());
  return path.join(ROOT, 'dist/main.js');
}

/**
 * Starts the service (npm start's program, `dist/main.js`) as its own process and waits until
 * `ready` appears on its standard output (the banner, by default). `args` picks the role
 * (`serve --no-worker`, `worker`).
 */
export async function startServerProcess(env: Record<string, string>, args: string[] = [], ready = 'twinsync is listening'): Promise<ServerProcess> {
  const program = await buildService();
  const port = await freePort();
  const child = spawn(process.execPath, [program, ...args], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes(ready)) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}): ${err}${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in time: ${err}${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => out, errors: () => err, exited };
}

/**
 * For a describe block: `npm start`'s process on an empty data folder of its own (named from
 * `prefix`), started in `before`; in `after`, killed if it still runs, and the folder removed.
 * `server` stands in for the process: use it in hooks and tests.
 */
export function serverOnEmptyDataDir(prefix: string): { dataDir: string; server: ServerProcess } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let started: ServerProcess | undefined;
  before(async () => {
    started = await startServerProcess({ DATA_DIR: dataDir });
  });
  after(() => {
    if (started?.child.exitCode === null) started.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const get = () => {
    if (!started) throw new Error('the server process is started in before: use it in hooks and tests');
    return started;
  };
  return {
    dataDir,
    server: {
      get child() {
        return get().child;
      },
      get url() {
        return get().url;
      },
      output: () => get().output(),
      errors: () => get().errors(),
      get exited() {
        return get().exited;
      },
    },
  };
}
