import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { partialUploadPath, startUploadSweeper, sweepAbandonedUploads, uploadsDir } from '../../src/domain/storage/blobs.js';

const IDLE_MS = 120_000;
const host = os.hostname().replace(/[^A-Za-z0-9-]/g, '_');

/** The id of a process that ran on this machine and has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('sweeping abandoned uploads', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-sweep-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const dir = uploadsDir(dataDir);
  const write = (name: string, ageMs: number, now = Date.now()) => {
    fs.writeFileSync(path.join(dir, name), 'x');
    const when = new Date(now - ageMs);
    fs.utimesSync(path.join(dir, name), when, when);
  };
  const reset = () => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  };

  it('at start: removes .partial files not named as this version names them (earlier versions’), whatever their age', async () => {
    reset();
    const now = Date.now();
    write('0f1e2d3c4b5a69788796a5b4.partial', 1000, now); // an earlier version's <random>.partial
    write(`${host}~not-a-pid~aaaa.partial`, 1000, now);
    write(`${host}~${process.ppid}~bbbb.partial`, 1000, now); // current form, live process: kept
    write('fileid.1.abcdef', 1000, now); // staged: kept
    assert.equal(await sweepAbandonedUploads(dataDir, { idleMs: IDLE_MS, atStart: true, now }), 2);
    assert.deepEqual(fs.readdirSync(dir).sort(), [`${host}~${process.ppid}~bbbb.partial`, 'fileid.1.abcdef'].sort());
    // While running, such a file goes only once idle past the limit, like any other.
    write('0f1e2d3c4b5a69788796a5b4.partial', 1000, now);
    assert.equal(await sweepAbandonedUploads(dataDir, { idleMs: IDLE_MS, now }), 0);
  });

  it('at start: removes a gone process’s .partial files whatever their age, keeps a live one’s', async () => {
    assert.equal(await sweepAbandonedUploads(path.join(dataDir, 'none'), { idleMs: IDLE_MS, atStart: true }), 0, 'no uploads folder');
    reset();
    const now = Date.now();
    write(`${host}~${deadPid()}~aaaa.partial`, 1000, now); // a killed process's, a second old
    write(`${host}~${process.ppid}~bbbb.partial`, 1000, now); // a live process's (sharing DATA_DIR)
    write(`other-host~1~cccc.partial`, 1000, now); // another machine's or container's: unknown
    write(`${host}~${process.ppid}~dddd.partial`, IDLE_MS + 60_000, now); // live, but idle past the limit
    write('fileid.1.abcdef', 2 * 3600_000, now); // staged: recorded in the store, kept
    assert.equal(await sweepAbandonedUploads(dataDir, { idleMs: IDLE_MS, atStart: true, now }), 2);
    assert.deepEqual(fs.readdirSync(dir).sort(), [`${host}~${process.ppid}~bbbb.partial`, 'fileid.1.abcdef', 'other-host~1~cccc.partial'].sort());
  });

  it('at start: a file named with our own process id is an earlier process’s (a restarted container)', async () => {
    reset();
    write(path.basename(partialUploadPath(dataDir)), 0);
    assert.equal(await sweepAbandonedUploads(dataDir, { idleMs: IDLE_MS, atStart: true }), 1);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('while running: removes files idle past the upload idle limit, whoever wrote them', async () => {
    reset();
    const now = Date.now();
    write(path.basename(partialUploadPath(dataDir)), IDLE_MS + 1000, now); // ours, stalled
    write(path.basename(partialUploadPath(dataDir)), 1000, now); // ours, in progress
    write(`other-host~1~cccc.partial`, IDLE_MS + 1000, now);
    write('old-style-name.partial', IDLE_MS + 1000, now);
    write(`${host}~${deadPid()}~eeee.partial`, 1000, now); // only the start-up sweep judges owners
    assert.equal(await sweepAbandonedUploads(dataDir, { idleMs: IDLE_MS, now }), 3);
    assert.equal(fs.readdirSync(dir).length, 2);
  });

  it('the periodic sweeper runs by itself and stops', async () => {
    reset();
    const idleMs = 1500;
    write(`other-host~1~ffff.partial`, idleMs + 1000);
    const stop = startUploadSweeper(dataDir, idleMs, (error) => assert.fail(String(error)));
    try {
      for (let i = 0; i < 60 && fs.readdirSync(dir).length > 0; i++) await sleep(100);
      assert.deepEqual(fs.readdirSync(dir), [], 'swept within a few seconds');
    } finally {
      stop();
    }
  });
});
