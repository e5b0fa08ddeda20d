import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout } from 'node:timers';
import { after, describe, it } from 'node:test';
import { CommandConnector } from '../../src/connectors/command.js';
import { parseConnectorsConfig, type CommandSettings } from '../../src/connectors/config.js';
import { ConnectorFailure } from '../../src/connectors/connector.js';
import { connectorInput } from '../helpers/connector-input.js';
import { ProcessSlots } from '../../src/connectors/process-slots.js';
import { loadConfig } from '../../src/config.js';
import { machineCores } from '../../src/machine-cores.js';

describe('ProcessSlots', () => {
  it('grants up to its size at once, then in the order the tasks came as slots are given back', async () => {
    const slots = new ProcessSlots(2);
    const signal = new AbortController().signal;
    const a = await slots.take(signal);
    const b = await slots.take(signal);
    const granted: string[] = [];
    const c = slots.take(signal).then((release) => (granted.push('c'), release));
    const d = slots.take(signal).then((release) => (granted.push('d'), release));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(granted, []);
    assert.deepEqual(slots.counts, { running: 2, waiting: 2 });
    a();
    a(); // a second call gives back nothing more
    await c;
    assert.deepEqual(granted, ['c']);
    assert.deepEqual(slots.counts, { running: 2, waiting: 1 });
    b();
    const releaseD = await d;
    assert.deepEqual(granted, ['c', 'd']);
    (await c)();
    releaseD();
    assert.deepEqual(slots.counts, { running: 0, waiting: 0 });
  });

  it('a task whose run is cancelled while it waits leaves the queue, and the next one gets the slot', async () => {
    const slots = new ProcessSlots(1);
    const release = await slots.take(new AbortController().signal);
    const cancelled = new AbortController();
    const waiting = slots.take(cancelled.signal);
    const next = slots.take(new AbortController().signal);
    cancelled.abort(new Error('cancelled'));
    await assert.rejects(waiting, /cancelled/);
    assert.deepEqual(slots.counts, { running: 1, waiting: 1 });
    release();
    (await next)();
    assert.deepEqual(slots.counts, { running: 0, waiting: 0 });
    await assert.rejects(slots.take(cancelled.signal), /cancelled/, 'an aborted signal takes nothing');
    assert.throws(() => new ProcessSlots(0), /at least 1/);
  });
});

describe('connector processes of a worker (CONNECTOR_PROCESSES)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-slots-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const input = (n: number, signal: AbortSignal) => connectorInput(root, n, { signal });

  it('six tasks at once through a limit of two: never more than two programs alive, all succeed; a cancelled waiter is Aborted', async () => {
    // Each program records its start and end (a line each) in one log, and lives 150 ms.
    const log = path.join(root, 'log');
    const program = path.join(root, 'program.sh');
    fs.writeFileSync(program, `#!/bin/sh\necho "start $$" >> ${log}\nsleep 0.15\necho "end $$" >> ${log}\n`, { mode: 0o755 });
    const config = parseConnectorsConfig({ default: { kind: 'command', command: program } }, 'test');
    const connector = new CommandConnector(config.default as CommandSettings, process.env, new ProcessSlots(2));
    const cancelled = new AbortController();
    const tasks = [1, 2, 3, 4, 5, 6].map((n) => connector.run(input(n, new AbortController().signal)));
    const waiter = connector.run(input(7, cancelled.signal)).then(
      () => undefined,
      (error: unknown) => error,
    );
    // Cancelled while it waits behind the others for a slot.
    setTimeout(() => cancelled.abort(), 50);
    const outcomes = await Promise.allSettled(tasks);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    const stopped = await waiter;
    assert.ok(stopped instanceof ConnectorFailure && stopped.taskError.errorCode === 'TWINSYNC_ABORTED', String(stopped));
    let alive = 0;
    let most = 0;
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    for (const line of lines) {
      alive += line.startsWith('start') ? 1 : -1;
      most = Math.max(most, alive);
    }
    assert.equal(lines.length, 12, 'six programs ran, the cancelled one never started');
    assert.equal(most, 2);
  });

  it("a connector's time limit starts when its process does, and a program that timed out gives its slot back", async () => {
    const slots = new ProcessSlots(1);
    const sleeper = (seconds: number, timeoutMs: number) => {
      const file = path.join(root, `sleep-${seconds}.sh`);
      fs.writeFileSync(file, `#!/bin/sh\nsleep ${seconds}\n`, { mode: 0o755 });
      const config = parseConnectorsConfig({ default: { kind: 'command', command: file, timeoutMs, killGraceMs: 100 } }, 'test');
      return new CommandConnector(config.default as CommandSettings, process.env, slots);
    };
    const signal = new AbortController().signal;
    // B waits about 400 ms for A's slot and then needs 100 ms: within its 300 ms only if the wait does not count.
    const a = sleeper(0.4, 60_000).run(input(21, signal));
    const b = sleeper(0.1, 300).run(input(22, signal));
    await Promise.all([a, b]);
    // C outlives its limit and is stopped; D, behind it, still runs.
    const c = sleeper(30, 200)
      .run(input(23, signal))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    const d = sleeper(0.05, 60_000).run(input(24, signal));
    const timedOut = await c;
    assert.ok(timedOut instanceof ConnectorFailure && timedOut.taskError.errorCode === 'TWINSYNC_CONNECTOR_TIMEOUT', String(timedOut));
    await d;
    assert.deepEqual(slots.counts, { running: 0, waiting: 0 });
  });

  it('defaults: eight runs at once where no connector starts a process, else four or the connector processes if fewer', () => {
    const config = loadConfig({ DATA_DIR: root });
    assert.equal(config.runs.workerConcurrency, 8);
    assert.equal(config.runs.connectorProcesses, machineCores());
    const command = JSON.stringify({ types: { DWG: { kind: 'command', command: '/bin/true' } } });
    assert.equal(loadConfig({ DATA_DIR: root, CONNECTORS: command, CONNECTOR_PROCESSES: '1' }).runs.workerConcurrency, 1);
    assert.equal(loadConfig({ DATA_DIR: root, CONNECTORS: command, CONNECTOR_PROCESSES: '3' }).runs.workerConcurrency, 3);
    assert.equal(loadConfig({ DATA_DIR: root, CONNECTORS: command, CONNECTOR_PROCESSES: '16' }).runs.workerConcurrency, 4);
    assert.equal(loadConfig({ DATA_DIR: root, CONNECTORS: command, CONNECTOR_PROCESSES: '1', WORKER_CONCURRENCY: '6' }).runs.workerConcurrency, 6);
    assert.equal(loadConfig({ DATA_DIR: root, CONNECTOR_PROCESSES: '1' }).runs.workerConcurrency, 8);
    assert.throws(() => loadConfig({ DATA_DIR: root, CONNECTOR_PROCESSES: '0' }), /CONNECTOR_PROCESSES/);
  });

  it("the machine's cores: a container's CPU limit (cgroup v2 cpu.max, or v1 quota and period) counts, rounded up", () => {
    const cores = os.availableParallelism();
    const cgroup = (files: Record<string, string>) => {
      const dir = fs.mkdtempSync(path.join(root, 'cgroup-'));
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
      return dir;
    };
    assert.equal(machineCores(cgroup({ 'cpu.max': '100000 100000\n' })), 1);
    assert.equal(machineCores(cgroup({ 'cpu.max': '150000 100000\n' })), Math.min(cores, 2));
    assert.equal(machineCores(cgroup({ 'cpu.max': 'max 100000\n' })), cores);
    assert.equal(machineCores(cgroup({ 'cpu/cpu.cfs_quota_us': '50000', 'cpu/cpu.cfs_period_us': '100000' })), 1);
    assert.equal(machineCores(cgroup({ 'cpu/cpu.cfs_quota_us': '-1', 'cpu/cpu.cfs_period_us': '100000' })), cores);
    assert.equal(machineCores(path.join(root, 'nothing-here')), cores);
    assert.equal(machineCores(cgroup({ 'cpu.max': '6400000 100000' })), cores, 'never more than the machine has');
  });
});
