import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { Worker } from '../../src/worker/worker.js';
import { downloadManifestFile } from '../../src/worker/manifest-download.js';
import { call, SC } from '../helpers/api.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { getManifestRun, MC, manifestConnection, pollManifestRun, startManifestRun } from '../helpers/manifests.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { runEnv, runIdOf, startWorker } from '../helpers/runs.js';

const NORMAL = Buffer.from('ISO-10303-21; a normal file served by the test\n');
const REFERENCE = Buffer.from('a reference file\n');
const LIMIT = 64 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Servers on loopback: the file server (allowed), a raw one that lies about lengths (allowed), and a forbidden one that counts what reaches it. */
const servers = {
  files: undefined as http.Server | undefined,
  liar: undefined as net.Server | undefined,
  forbidden: [] as http.Server[],
  hits: new Map<string, number>(),
  forbiddenHits: 0,
  port: { files: 0, liar: 0, forbidden1: 0, forbidden2: 0 },
};

async function listen(server: net.Server, host: string): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

async function startServers(): Promise<Record<string, string>> {
  servers.files = http.createServer((req, res) => {
    const path = req.url ?? '';
    servers.hits.set(path, (servers.hits.get(path) ?? 0) + 1);
    if (path === '/normal.ifc') return res.end(NORMAL);
    if (path === '/ref-1.ifc' || path === '/ref-2.ifc') return res.end(REFERENCE);
    if (path === '/slow.ifc') return void setTimeout(() => res.end(NORMAL), 2000).unref();
    if (path === '/fail.ifc') return res.writeHead(500).end('broken');
    if (path === '/gone.ifc') return res.writeHead(404).end('no such file');
    if (path === '/big.ifc') return res.writeHead(200, { 'content-length': LIMIT + 1 }).end(Buffer.alloc(LIMIT + 1));
    if (path === '/big-chunked.ifc') {
      // No Content-Length: the limit stops the body as it streams.
      res.writeHead(200);
      for (let i = 0; i < 4; i++) res.write(Buffer.alloc(LIMIT / 2));
      return res.end();
    }
    if (path === '/to-other-port.ifc') return res.writeHead(302, { location: `http://127.0.0.1:${servers.port.forbidden1}/secret.ifc` }).end();
    if (path === '/to-private.ifc') return res.writeHead(307, { location: `http://127.0.0.2:${servers.port.forbidden2}/secret.ifc` }).end();
    if (path === '/to-normal.ifc') return res.writeHead(301, { location: '/normal.ifc' }).end();
    if (path === '/loop.ifc') return res.writeHead(302, { location: '/loop.ifc' }).end();
    res.writeHead(404).end();
  });
  servers.port.files = await listen(servers.files, '127.0.0.1');
  servers.liar = net.createServer((socket) => {
    socket.once('data', (data) => {
      const longer = data.toString().startsWith('GET /longer');
      socket.end(longer ? 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n0123456789' : 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789');
    });
  });
  servers.port.liar = await listen(servers.liar, '127.0.0.1');
  for (const host of ['127.0.0.1', '127.0.0.2']) {
    const server = http.createServer((_req, res) => {
      servers.forbiddenHits++;
      res.end('secret');
    });
    servers.forbidden.push(server);
    servers.port[host === '127.0.0.1' ? 'forbidden1' : 'forbidden2'] = await listen(server, host);
  }
  return runEnv(undefined, {
    TASK_MAX_RETRIES: '1',
    MANIFEST_ALLOWED_HOSTS: `127.0.0.1:${servers.port.files},127.0.0.1:${servers.port.liar},127.0.0.2`,
    // Loopback is refused unless allowed: only 127.0.0.1 is, so 127.0.0.2 (an allowed host name) stays refused.
    MANIFEST_ALLOWED_ADDRESSES: '127.0.0.1/32',
    MANIFEST_MAX_FILE_BYTES: String(LIMIT),
    MANIFEST_IDLE_TIMEOUT_MS: '300',
    MANIFEST_CONNECT_TIMEOUT_MS: '1000',
    MANIFEST_MAX_REDIRECTS: '3',
  });
}

const fileUrl = (path: string) => `http://127.0.0.1:${servers.port.files}${path}`;
const entry = (id: string, path: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: path.slice(1),
  url: fileUrl(path),
  connectorType: 'IFC',
  action: 'bridge',
  ...extra,
});

onEveryStore('manifest runs', { env: startServers }, ({ h }) => {
  let worker: Worker;
  before(() => {
    worker = startWorker(h);
  });
  after(async () => {
    await worker?.stop(1000);
    for (const server of [servers.files, servers.liar, ...servers.forbidden]) server?.close();
  });

  /** One connection with one source file, run on `manifest`'s entry for it, to its end. */
  async function runOne(path: string, extra: Record<string, unknown> = {}) {
    const c = await manifestConnection(h, ['f1']);
    const res = await startManifestRun(h, c.connectionId, { sourceFiles: [entry('f1', path, extra)] });
    assert.equal(res.statusCode, 202, res.body);
    const run = await pollManifestRun(h, c.connectionId, runIdOf(res.headers.location as string));
    return { c, run, task: run.jobs[0]?.tasks[0] };
  }

  describe('POST …/runs', () => {
    it('202 with Location; lastRun points at it; the file is downloaded and synchronized: its hash in the task and the changeset', async () => {
      const c = await manifestConnection(h, ['f1']);
      const res = await startManifestRun(h, c.connectionId, { sourceFiles: [entry('f1', '/normal.ifc')] });
      assert.equal(res.statusCode, 202, res.body);
      assert.equal(res.body, '');
      assert.equal(res.headers['content-type'], undefined);
      const location = res.headers.location as string;
      assert.match(location, new RegExp(`^${PUBLIC_URL}${MC}/${c.connectionId}/runs/[0-9a-f-]{36}$`));
      assert.equal((await call(h, 'GET', `${MC}/${c.connectionId}`)).json().connection._links.lastRun.href, location);
      const run = await pollManifestRun(h, c.connectionId, runIdOf(location));
      assert.equal(run.result, 'Success', JSON.stringify(run));
      const task = run.jobs[0].tasks[0];
      assert.equal(task.sourceFileId, 'f1');
      assert.equal(task.storageFileId, undefined);
      assert.deepEqual(task.details.manifestFile, { id: 'f1', name: 'normal.ifc', size: NORMAL.length, contentHash: sha(NORMAL) });
      const changeset = await h.store.db.selectFrom('changesets').selectAll().where('task_id', '=', task.id).executeTakeFirstOrThrow();
      assert.equal(changeset.content_hash, sha(NORMAL));
      assert.equal(changeset.source_file_id, 'f1');
      // The download is not kept once the task ended.
      const left = [];
      for await (const blob of h.blobs.list(`manifests/${run.id}/`)) left.push(blob);
      assert.deepEqual(left, []);
      const list = (await call(h, 'GET', `${MC}/${c.connectionId}/runs`)).json();
      assert.deepEqual(list.runs, [{ id: run.id, state: 'Completed', result: 'Success' }]);
      const whole = (await call(h, 'GET', `${MC}/${c.connectionId}/runs`, { headers: { prefer: 'return=representation' } })).json();
      assert.equal(whole.runs[0].jobs[0].tasks[0].sourceFileId, 'f1');
    });

    it('303 to the active run of the iModel; 422 MissingRequestBody; 422 listing every problem of a manifest; nothing queued', async () => {
      const c = await manifestConnection(h, ['f1', 'f2']);
      const none = await h.app.inject({ method: 'POST', url: `${MC}/${c.connectionId}/runs`, headers: { authorization: `Bearer ${await h.token()}` } });
      assert.equal(none.statusCode, 422);
      assert.equal(none.json().error.code, 'MissingRequestBody');
      const bad = await startManifestRun(h, c.connectionId, {
        documentAttributeSchemaUrl: 'ftp://x/y',
        sourceFiles: [
          { id: 'f1', name: 'a/b.ifc', url: 'file:///etc/passwd', connectorType: 'NOPE', action: 'burn', relativePath: '../up' },
          {
            id: 'f2',
            name: 'ok.ifc',
            url: 'https://u:p@example.com/x',
            connectorType: 'IFC',
            children: [{ id: 'c1', parentId: 'zz', name: 'r.ifc', url: 'nope' }],
          },
          { id: 'not-registered', name: 'x.ifc', url: 'https://example.com/x', connectorType: 'IFC' },
          { id: 'f1', name: 'twice.ifc', url: 'https://example.com/x', connectorType: 'IFC' },
        ],
      });
      assert.equal(bad.statusCode, 422);
      assert.equal(bad.json().error.code, 'InvalidManifestConnectionRequest');
      assert.deepEqual(
        bad
          .json()
          .error.details.map((d: { target: string }) => d.target)
          .sort(),
        [
          'documentAttributeSchemaUrl',
          'sourceFiles[0].action',
          'sourceFiles[0].connectorType',
          'sourceFiles[0].name',
          'sourceFiles[0].relativePath',
          'sourceFiles[0].url',
          'sourceFiles[1].children[0].parentId',
          'sourceFiles[1].children[0].url',
          'sourceFiles[1].url',
          'sourceFiles[3].id',
        ],
      );
      const unknown = await startManifestRun(h, c.connectionId, { sourceFiles: [entry('not-registered', '/normal.ifc')] });
      assert.equal(unknown.statusCode, 422);
      assert.deepEqual(unknown.json().error.details, [
        { code: 'InvalidValue', message: 'The source file not-registered is not a source file of the connection: add it first.', target: 'sourceFiles[0].id' },
      ]);
      const tooMany = await startManifestRun(h, c.connectionId, { sourceFiles: Array.from({ length: 1001 }, (_, i) => entry(`x${i}`, '/normal.ifc')) });
      assert.equal(tooMany.statusCode, 422);
      assert.equal((await call(h, 'GET', `${MC}/${c.connectionId}/runs`)).json().runs.length, 0);

      const slow = await startManifestRun(h, c.connectionId, { sourceFiles: [entry('f1', '/slow.ifc')] });
      assert.equal(slow.statusCode, 202);
      const again = await startManifestRun(h, c.connectionId, { sourceFiles: [entry('f2', '/normal.ifc')] });
      assert.equal(again.statusCode, 303);
      assert.equal(again.headers.location, slow.headers.location);
      // A storage connection of the same iModel is sent to the manifest run, under its own path.
      const storage = await call(h, 'POST', SC, {
        body: { iModelId: c.iModelId, authenticationType: 'Service', sourceFiles: [{ storageFileId: await h.file(c.itwin, 's.ifc'), connectorType: 'IFC' }] },
      });
      assert.equal(storage.statusCode, 201, storage.body);
      const viaStorage = await call(h, 'POST', `${SC}/${storage.json().connection.id}/run`);
      assert.equal(viaStorage.statusCode, 303);
      assert.equal(viaStorage.headers.location, slow.headers.location);
      await pollManifestRun(h, c.connectionId, runIdOf(slow.headers.location as string));
    });
  });

  describe('downloads', () => {
    it('a slow server hits the idle time-out: retried, then Error TWINSYNC_MANIFEST_DOWNLOAD_TIMEOUT', async () => {
      const before = servers.hits.get('/slow.ifc') ?? 0;
      const { run, task } = await runOne('/slow.ifc');
      assert.equal(run.result, 'Error');
      assert.equal(task.error.errorCode, 'TWINSYNC_MANIFEST_DOWNLOAD_TIMEOUT', JSON.stringify(task.error));
      assert.equal(task.error.descriptionKey, 'ManifestDownloadTimedOut');
      assert.equal(task.retryAttempts, 1);
      assert.equal((servers.hits.get('/slow.ifc') ?? 0) - before, 2, 'one attempt and one retry');
    });

    it('a 500 is retried, then Error TWINSYNC_MANIFEST_DOWNLOAD_FAILED; a 404 is not retried', async () => {
      const before = servers.hits.get('/fail.ifc') ?? 0;
      const failed = await runOne('/fail.ifc');
      assert.equal(failed.task.error.errorCode, 'TWINSYNC_MANIFEST_DOWNLOAD_FAILED');
      assert.match(failed.task.error.message, /answered 500/);
      assert.equal(failed.task.retryAttempts, 1);
      assert.equal((servers.hits.get('/fail.ifc') ?? 0) - before, 2);
      const gone = await runOne('/gone.ifc');
      assert.equal(gone.task.error.errorCode, 'TWINSYNC_MANIFEST_DOWNLOAD_FAILED');
      assert.equal(gone.task.retryAttempts, 0);
    });

    it('redirects are followed, each target checked: to another port or a non-public address is refused and never contacted', async () => {
      const followed = await runOne('/to-normal.ifc');
      assert.equal(followed.run.result, 'Success', JSON.stringify(followed.run));
      assert.equal(followed.task.details.manifestFile.contentHash, sha(NORMAL));
      const hits = servers.forbiddenHits;
      for (const path of ['/to-other-port.ifc', '/to-private.ifc']) {
        const { task } = await runOne(path);
        assert.equal(task.error.errorCode, 'TWINSYNC_MANIFEST_DOWNLOAD_REFUSED', `${path}: ${JSON.stringify(task.error)}`);
        assert.equal(task.retryAttempts, 0, 'a refusal is not retried');
      }
      const loop = await runOne('/loop.ifc');
      assert.match(loop.task.error.message, /more than 3 redirects/);
      assert.equal(servers.forbiddenHits, hits, 'the forbidden servers received no request');
    });

    it('a name is checked on the addresses it resolves to when connecting: localhost is loopback, refused unless allowed', async () => {
      const hits = servers.forbiddenHits;
      const config = { ...loadConfig({}).runs.manifest, allowedHosts: ['localhost'], allowedAddresses: [] };
      await assert.rejects(
        downloadManifestFile(`http://localhost:${servers.port.forbidden1}/secret.ifc`, 'secret.ifc', config, new AbortController().signal, async (body) => {
          for await (const _ of body);
        }),
        (error: { taskError: { errorCode: string; message: string } }) => {
          assert.equal(error.taskError.errorCode, 'TWINSYNC_MANIFEST_DOWNLOAD_REFUSED');
          assert.match(error.taskError.message, /not a public address/);
          return true;
        },
      );
      assert.equal(servers.forbiddenHits, hits);
    });

    it('a body longer or shorter than its Content-Length, or larger than MANIFEST_MAX_FILE_BYTES, fails the task', async () => {
      for (const path of ['/longer.ifc', '/shorter.ifc']) {
        const c = await manifestConnection(h, ['f1']);
        const url = `http://127.0.0.1:${servers.port.liar}${path}`;
        const res = await startManifestRun(h, c.connectionId, { sourceFiles: [{ id: 'f1', name: 'liar.ifc', url, connectorType: 'IFC' }] });
        const run = await pollManifestRun(h, c.connectionId, runIdOf(res.headers.location as string));
        assert.equal(run.jobs[0].tasks[0].error.errorCode, 'TWINSYNC_MANIFEST_LENGTH_MISMATCH', `${path}: ${JSON.stringify(run.jobs[0].tasks[0].error)}`);
      }
      for (const path of ['/big.ifc', '/big-chunked.ifc']) {
        const { task } = await runOne(path);
        assert.equal(task.error.errorCode, 'TWINSYNC_MANIFEST_FILE_TOO_LARGE', `${path}: ${JSON.stringify(task.error)}`);
        assert.equal(task.retryAttempts, 0);
      }
    });
  });

  describe('unmap and children', () => {
    it('children are downloaded with their file and reported; unmap then takes out what the file brought in', async () => {
      const c = await manifestConnection(h, ['master']);
      const children = [
        { id: 'r1', parentId: 'master', name: 'ref-1.ifc', url: fileUrl('/ref-1.ifc'), relativePath: 'refs/ref-1.ifc' },
        { id: 'r2', parentId: 'r1', name: 'ref-2.ifc', url: fileUrl('/ref-2.ifc') },
      ];
      const first = await startManifestRun(h, c.connectionId, { sourceFiles: [entry('master', '/normal.ifc', { children })] });
      const bridged = await pollManifestRun(h, c.connectionId, runIdOf(first.headers.location as string));
      assert.equal(bridged.result, 'Success', JSON.stringify(bridged));
      assert.deepEqual(bridged.jobs[0].tasks[0].details.referenceFiles, [
        { id: 'r1', parentId: 'master', name: 'ref-1.ifc', size: REFERENCE.length, contentHash: sha(REFERENCE) },
        { id: 'r2', parentId: 'r1', name: 'ref-2.ifc', size: REFERENCE.length, contentHash: sha(REFERENCE) },
      ]);

      const second = await startManifestRun(h, c.connectionId, { sourceFiles: [entry('master', '/normal.ifc', { action: 'unmap' })] });
      assert.equal(second.statusCode, 202, second.body);
      const unmapped = await pollManifestRun(h, c.connectionId, runIdOf(second.headers.location as string));
      assert.equal(unmapped.result, 'Success', JSON.stringify(unmapped));
      const task = unmapped.jobs[0].tasks[0];
      assert.equal(task.sourceFileId, 'master');
      const changeset = await h.store.db.selectFrom('changesets').selectAll().where('task_id', '=', task.id).executeTakeFirstOrThrow();
      assert.equal(changeset.action, 'remove');
      assert.equal(changeset.content_hash, sha(NORMAL), 'it names what it took out');

      // Unmapped again: nothing synchronized is left, so nothing to do.
      const third = await startManifestRun(h, c.connectionId, { sourceFiles: [entry('master', '/normal.ifc', { action: 'unmap' })] });
      const nothing = await pollManifestRun(h, c.connectionId, runIdOf(third.headers.location as string));
      assert.equal(nothing.result, 'Success');
      assert.deepEqual(nothing.jobs, []);
      const runs = (await call(h, 'GET', `${MC}/${c.connectionId}/runs?$top=2`)).json();
      assert.equal(runs.runs.length, 2);
      assert.ok(runs._links.next.href.startsWith(`${PUBLIC_URL}${MC}/${c.connectionId}/runs?$continuationToken=`));
      assert.equal((await getManifestRun(h, c.connectionId, runs.runs[0].id)).id, nothing.id, 'newest first');
    });
  });
});
