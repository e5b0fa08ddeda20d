// test:alone — it asserts that start-up errors appear within 2 s of spawning the service, which files running beside it would slow (scripts/test.mjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildService, freePort, ROOT } from '../helpers/server-process.js';

const DATABASE = process.env.TWINSYNC_TEST_DATABASE_URL;

interface Failure {
  code: number | null;
  stderr: string;
  stdout: string;
  ms: number;
}

/** Starts the service as `npm start` does, expecting it to fail; kills it if it still runs after 20 s. */
async function failedStart(env: Record<string, string>, args: string[] = []): Promise<Failure> {
  const program = await buildService();
  const started = performance.now();
  const child = spawn(process.execPath, [program, ...args], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(await freePort()), NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(killer);
  return { code, stderr, stdout, ms: performance.now() - started };
}

/** The bound: a start-up error appears within 2 s of starting the process. */
const WITHIN_MS = 2000;

/** One line naming the setting, saying what to do, no stack trace, exit code 1, within 2 s. */
function assertExplained(failure: Failure, setting: string, detail: RegExp): void {
  assert.equal(failure.code, 1, `exit code (stderr: ${failure.stderr})`);
  assert.match(failure.stderr, /^[^\n]+\n$/, `one line: ${failure.stderr}`);
  assert.ok(failure.stderr.startsWith(`twinsync: cannot start: ${setting}: `), failure.stderr);
  assert.match(failure.stderr, / What to do: /);
  assert.match(failure.stderr, detail);
  assert.doesNotMatch(failure.stderr, /\n\s+at /);
  assert.ok(failure.ms < WITHIN_MS, `${setting}: the error came after ${Math.round(failure.ms)} ms, not within ${WITHIN_MS} ms`);
}

/**
 * Start-up errors an operator causes (acceptance: real processes of the compiled service). Each
 * must appear within 2 s of spawning the process (the compile of dist/ is done before the clock
 * starts): the service's own waits are bounded at 1 s (the database and Redis checks), which leaves
 * the rest of the 2 s to start Node and load the service.
 */
describe('acceptance: start-up errors name the setting, in one line, within 2 s', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-start-errors-'));
  let silent: net.Server;
  let silentPort: number;
  const sockets = new Set<net.Socket>();
  before(async () => {
    // Accepts connections and never answers: a wrong port, a proxy, a half-dead server.
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as net.AddressInfo).port;
  });
  after(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('DATABASE_URL where nothing listens', async () => {
    const failure = await failedStart({
      DATA_DIR: dataDir,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort() /* free: nothing listens there */}/test`,
    });
    assertExplained(failure, 'DATABASE_URL', /connection refused/);
  });

  it('DATABASE_URL of a server that never answers: given up after 1 s', async () => {
    const failure = await failedStart({ DATA_DIR: dataDir, DATABASE_URL: `postgres://postgres@127.0.0.1:${silentPort}/test` });
    assertExplained(failure, 'DATABASE_URL', /no answer within 1000 ms/);
  });

  it('DATABASE_URL of an unknown host, for the worker too', async () => {
    const failure = await failedStart({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://postgres@twinsync-no-such-host.invalid:5432/test' }, ['worker']);
    assertExplained(failure, 'DATABASE_URL', /host not found/);
  });

  it('DATABASE_URL naming a database that does not exist', { skip: DATABASE ? undefined : 'TWINSYNC_TEST_DATABASE_URL is not set' }, async () => {
    const url = new URL(DATABASE!);
    url.pathname = `/twinsync_missing_${process.pid}`;
    const failure = await failedStart({ DATA_DIR: dataDir, DATABASE_URL: url.href });
    assertExplained(failure, 'DATABASE_URL', /does not exist.*What to do: create that database/);
  });

  it('PORT in use', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const failure = await failedStart({ DATA_DIR: dataDir, PORT: String(port) });
      assertExplained(failure, 'PORT', new RegExp(`port ${port} is already in use`));
    } finally {
      taken.close();
    }
  });

  it('WORKER_HEALTH_PORT in use: the worker names that setting and its port, not PORT', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const failure = await failedStart({ DATA_DIR: dataDir, WORKER_HEALTH_PORT: String(port) }, ['worker']);
      assertExplained(failure, 'WORKER_HEALTH_PORT', new RegExp(`port ${port} is already in use.*set WORKER_HEALTH_PORT to a free port`));
      assert.doesNotMatch(failure.stderr, /\bPORT: /);
    } finally {
      taken.close();
    }
  });

  it('DATA_DIR that is a file', async () => {
    const file = path.join(dataDir, 'a-file');
    fs.writeFileSync(file, 'not a folder');
    const failure = await failedStart({ DATA_DIR: file });
    assertExplained(failure, 'DATA_DIR', /cannot be used/);
    const below = await failedStart({ DATA_DIR: path.join(file, 'data') });
    assertExplained(below, 'DATA_DIR', /cannot be used \(ENOTDIR/);
  });

  it('DATA_DIR this user may not read', { skip: process.getuid?.() === 0 ? 'root reads every folder' : undefined }, async () => {
    const locked = path.join(dataDir, 'locked');
    fs.mkdirSync(locked, { mode: 0o000 });
    try {
      const failure = await failedStart({ DATA_DIR: path.join(locked, 'data') });
      assertExplained(failure, 'DATA_DIR', /EACCES/);
    } finally {
      fs.chmodSync(locked, 0o700);
    }
  });

  it('REDIS_URL where nothing listens, and of a server that never answers', async () => {
    const refused = await failedStart({ DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${await freePort() /* free: nothing listens there */}` });
    assertExplained(refused, 'REDIS_URL', /ECONNREFUSED/);
    const unanswered = await failedStart({ DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${silentPort}` });
    assertExplained(unanswered, 'REDIS_URL', /cannot reach Redis/);
  });
});
