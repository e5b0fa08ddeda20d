import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { deploymentIssuer } from '../helpers/deployment-clients.js';
import { loadConfig } from '../../src/config.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const PUBLIC_URL = 'http://twinsync.test';
const postgresUrl = process.env.TWINSYNC_TEST_DATABASE_URL?.trim();

/** Mounts a tmpfs of `size` at a new folder; `skip` says why when this machine does not let us (needs root). */
function mountSmallDisk(size: string): { dir: string; skip?: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { dir, skip: `cannot mount a small tmpfs to fill (needs root): ${(error as Error).message.split('\n')[0]}` };
  }
}

/**
 * DATA_DIR fills up: an upload that runs out of space answers 507 InsufficientStorage (not 400), a
 * store write that does (SQLite's file is in DATA_DIR) answers 507 and is logged with its cause, no
 * `.partial` file stays behind, and once space is back uploads and creates work again with no restart.
 * The disk is mounted in `before` and unmounted in `after`, not when the file is imported: a machine
 * that cannot mount shows the test as skipped, with the reason.
 */
for (const storeName of ['sqlite', 'postgres'] as const) {
  const skip = storeName === 'postgres' && !postgresUrl ? 'TWINSYNC_TEST_DATABASE_URL is not set' : undefined;
  describe(`acceptance: DATA_DIR full [${storeName}]`, { skip }, () => {
    let disk: { dir: string; skip?: string } | undefined;
    let server: ServerProcess | undefined;
    const schema = `test_full_${randomBytes(5).toString('hex')}`;
    before(() => {
      disk = mountSmallDisk('4m');
    });
    after(async () => {
      if (server?.child.exitCode === null) server.child.kill('SIGKILL');
      await server?.exited;
      if (disk && !disk.skip) {
        execFileSync('umount', [disk.dir]);
        fs.rmSync(disk.dir, { recursive: true, force: true });
      }
      if (storeName === 'postgres') {
        const admin = new pg.Client({ connectionString: postgresUrl });
        await admin.connect();
        await admin.query(`drop schema if exists "${schema}" cascade`);
        await admin.end();
      }
    });

    it('answers 507, logs why, and recovers by itself once space is back', async (t) => {
      if (!disk || disk.skip) return t.skip(disk?.skip ?? 'no disk mounted');
      const { dir } = disk;
      const env: Record<string, string> = { DATA_DIR: dir, PUBLIC_URL, RATE_LIMIT_MAX: '1000000000', LOG_LEVEL: 'info' };
      if (storeName === 'postgres') Object.assign(env, { DATABASE_URL: postgresUrl!, DATABASE_SCHEMA: schema });
      const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
      const issuer = await deploymentIssuer(env, config.auth);
      const client = issuer.clients[0]!;
      const { token } = await issuer.issue({ subject: client.subject, clientId: client.clientId, scopes: ['itwin-platform'] });
      server = await startServerProcess(env, ['serve', '--no-worker']);
      const api = server;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const post = async (url: string, body: unknown) => {
        const res = await fetch(`${api.url}${url}`, { method: 'POST', headers, body: JSON.stringify(body) });
        return { status: res.status, json: (await res.json()) as Record<string, any> };
      };
      const itwin = await post('/itwins', { displayName: 'full', class: 'Endeavor', subClass: 'Project' });
      assert.equal(itwin.status, 201);
      const top = await fetch(`${api.url}/storage/?iTwinId=${itwin.json.iTwin.id}`, { headers });
      const folderId = ((await top.json()) as any)._links.folder.href.split('/').pop();
      const newUpload = async () => {
        const created = await post(`/storage/folders/${folderId}/files`, { displayName: `f${randomBytes(3).toString('hex')}.ifc` });
        assert.equal(created.status, 202, JSON.stringify(created.json));
        return (created.json._links.uploadUrl.href as string).replace(PUBLIC_URL, api.url);
      };
      const put = async (url: string, size: number) => {
        const res = await fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: Buffer.alloc(size, 7) });
        return { status: res.status, text: await res.text() };
      };
      const partials = () => fs.readdirSync(path.join(dir, 'uploads')).filter((n) => n.endsWith('.partial'));

      // An upload larger than the space left.
      const tooBig = await put(await newUpload(), 6 * 1024 * 1024);
      assert.equal(tooBig.status, 507, tooBig.text);
      assert.equal(JSON.parse(tooBig.text).error.code, 'InsufficientStorage');
      assert.deepEqual(partials(), [], 'nothing left behind');

      // Fill what is left; creates go on until the store needs space it does not have.
      const filler = path.join(dir, 'filler');
      try {
        fs.writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024));
      } catch (error) {
        assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
      }
      const uploadWhenFull = await put(await newUpload().catch(() => ''), 64 * 1024).catch(() => undefined);
      if (uploadWhenFull) assert.equal(uploadWhenFull.status, 507, uploadWhenFull.text);
      if (storeName === 'sqlite') {
        let status = 201;
        let last: Record<string, any> = {};
        for (let i = 0; i < 5000 && status === 201; i++) {
          ({ status, json: last } = await post('/itwins', { displayName: `filling ${i} ${'x'.repeat(200)}`, class: 'Endeavor', subClass: 'Project' }));
        }
        assert.equal(status, 507, JSON.stringify(last));
        assert.equal(last.error.code, 'InsufficientStorage');
        await new Promise((r) => setTimeout(r, 200));
        const log = api.output();
        assert.match(log, /database or disk is full|SQLITE_FULL/, 'the cause is logged');
        assert.doesNotMatch(log, /cannot rollback|no such savepoint/, 'not hidden behind a failed rollback');
      }
      assert.equal(api.child.exitCode, null, 'still running');

      // Space is back: everything works again, with no restart.
      fs.rmSync(filler, { force: true });
      const upload = await put(await newUpload(), 256 * 1024);
      assert.equal(upload.status, 201, upload.text);
      const created = await post('/itwins', { displayName: 'after', class: 'Endeavor', subClass: 'Project' });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      assert.deepEqual(partials(), []);
    });
  });
}
