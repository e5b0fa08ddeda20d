import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { LocalBlobStore } from '../../src/blobs/local-blob-store.js';
import { OWNER } from '../../src/blobs/partial-owner.js';
import { startUploadSweeper } from '../../src/domain/storage/blobs.js';

const IDLE_MS = 120_000;
const host = os.hostname().replace(/[^A-Za-z0-9-]/g, '_');

/** The id of a process that ran on this machine and has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

/** A temporary file's name as this process names them. */
const ours = () => `${OWNER}~${Math.random().toString(16).slice(2)}.partial`;

describe('sweeping abandoned uploads (the local blob store)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-sweep-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const blobs = new LocalBlobStore(dataDir);
  const dir = path.join(dataDir, 'uploads');
  const sweep = (options: { idleMs: number; atStart?: boolean; now?: number }, store = blobs) => store.sweep(options);
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
    assert.equal(await sweep({ idleMs: IDLE_MS, atStart: true, now }), 2);
    assert.deepEqual(fs.readdirSync(dir).sort(), [`${host}~${process.ppid}~bbbb.partial`, 'fileid.1.abcdef'].sort());
    // While running, such a file goes only once idle past the limit, like any other.
    write('0f1e2d3c4b5a69788796a5b4.partial', 1000, now);
    assert.equal(await sweep({ idleMs: IDLE_MS, now }), 0);
  });

  it('at start: removes a gone process’s .partial files whatever their age, keeps a live one’s', async () => {
    assert.equal(await sweep({ idleMs: IDLE_MS, atStart: true }, new LocalBlobStore(path.join(dataDir, 'none'))), 0, 'no uploads folder');
    reset();
    const now = Date.now();
    write(`${host}~${deadPid()}~aaaa.partial`, 1000, now); // a killed process's, a second old
    write(`${host}~${process.ppid}~bbbb.partial`, 1000, now); // a live process's (sharing DATA_DIR)
    write(`other-host~1~cccc.partial`, 1000, now); // another machine's or container's: unknown
    write(`${host}~${process.ppid}~dddd.partial`, IDLE_MS + 60_000, now); // live, but idle past the limit
    write('fileid.1.abcdef', 2 * 3600_000, now); // staged: recorded in the store, kept
    assert.equal(await sweep({ idleMs: IDLE_MS, atStart: true, now }), 2);
    assert.deepEqual(fs.readdirSync(dir).sort(), [`${host}~${process.ppid}~bbbb.partial`, 'fileid.1.abcdef', 'other-host~1~cccc.partial'].sort());
  });

  it('at start: a file named with our own process id is an earlier process’s (a restarted container)', async () => {
    reset();
    write(ours(), 0);
    assert.equal(await sweep({ idleMs: IDLE_MS, atStart: true }), 1);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('while running: removes files idle past the upload idle limit, whoever wrote them', async () => {
    reset();
    const now = Date.now();
    write(ours(), IDLE_MS + 1000, now); // ours, stalled
    write(ours(), 1000, now); // ours, in progress
    write(`other-host~1~cccc.partial`, IDLE_MS + 1000, now);
    write('old-style-name.partial', IDLE_MS + 1000, now);
    write(`${host}~${deadPid()}~eeee.partial`, 1000, now); // only the start-up sweep judges owners
    assert.equal(await sweep({ idleMs: IDLE_MS, now }), 3);
    assert.equal(fs.readdirSync(dir).length, 2);
  });

  it('the periodic sweeper runs by itself and stops', async () => {
    reset();
    const idleMs = 1500;
    write(`other-host~1~ffff.partial`, idleMs + 1000);
    const stop = startUploadSweeper(blobs, idleMs, (error) => assert.fail(String(error)));
    try {
      for (let i = 0; i < 60 && fs.readdirSync(dir).length > 0; i++) await sleep(100);
      assert.deepEqual(fs.readdirSync(dir), [], 'swept within a few seconds');
    } finally {
      stop();
    }
  });

  it('removes uncommitted blocks untouched for a week, keeps younger ones and committed ones', async () => {
    reset();
    const now = Date.now();
    const blocks = path.join(dir, 'blocks', 'fileid.2');
    fs.mkdirSync(blocks, { recursive: true });
    const block = (name: string, ageMs: number) => {
      fs.writeFileSync(path.join(blocks, name), 'b');
      const when = new Date(now - ageMs);
      fs.utimesSync(path.join(blocks, name), when, when);
    };
    block('u-old', 8 * 24 * 3600_000);
    block('u-young', 6 * 24 * 3600_000);
    block('committed.json', 30 * 24 * 3600_000);
    assert.equal(await sweep({ idleMs: IDLE_MS, now }), 1);
    assert.deepEqual(fs.readdirSync(blocks).sort(), ['committed.json', 'u-young']);
  });
});
