// test:alone — it asserts the memory a 200 MB upload holds, which grows when files running beside it starve the process that drains the upload (scripts/test.mjs).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import { checkpointKey } from '../../src/domain/imodels/imodel-file.js';
import { contentKey } from '../../src/domain/storage/blobs.js';
import type { Worker } from '../../src/worker/worker.js';
import { SC } from '../helpers/api.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { createFile, newIModel, newITwin, relative } from '../helpers/platform.js';
import { runEnv, startWorker } from '../helpers/runs.js';
import { startS3Server } from '../helpers/s3-server.js';
import { collector, streamPutFromChild } from '../helpers/memory.js';

const MB = 1024 * 1024;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

// One s3rver for the file (a child process: this process's memory is the service's alone).
const s3 = await startS3Server();
after(() => s3.close());

function objectStoreEnv(extra: Record<string, string> = {}): Record<string, string> {
  const settings = s3.settings(`objects-${randomBytes(4).toString('hex')}`);
  return {
    ...runEnv(),
    BLOB_STORE_URL: `s3://${settings.bucket}/${settings.prefix}`,
    S3_ENDPOINT: settings.endpoint!,
    S3_ACCESS_KEY_ID: settings.accessKeyId!,
    S3_SECRET_ACCESS_KEY: settings.secretAccessKey!,
    ...extra,
  };
}

/**
 * The service on an S3-compatible object store (s3rver), through a listening server: every byte a
 * client sends or a worker reads goes through the bucket, and nothing lands in DATA_DIR but working
 * copies.
 */
onEveryStore('content in an object store', { env: objectStoreEnv() }, ({ h, client }) => {
  const alice = client('alice');
  let origin: string;
  let worker: Worker;
  before(async () => {
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
    worker = startWorker(h);
  });
  after(() => worker.stop(1000));

  const local = (href: string) => href.replace(PUBLIC_URL, origin);
  const put = (href: string, body: string | Buffer | Readable) =>
    fetch(local(href), { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body, duplex: 'half' } as RequestInit);
  const noContentInDataDir = () => assert.equal(fs.existsSync(path.join(h.config.dataDir, 'blobs')), false, 'no file content in DATA_DIR');

  it('uploads of 0 bytes and a few bytes, completed: the versions are objects of the bucket', async () => {
    assert.match(h.blobs.description, /^s3:\/\//);
    const itwin = await newITwin(alice);
    for (const content of ['', 'a small file']) {
      const file = await createFile(alice, itwin.rootFolderId, `f${content.length}.ifc`);
      assert.equal((await put(file.links.uploadUrl, content)).status, 201);
      const done = await alice.post(file.links.completeUrl);
      assert.equal(done.status, 200, done.body);
      assert.equal(done.json().file.size, content.length);
      assert.equal((await h.blobs.head(contentKey(file.id, 1)))?.size, content.length);
      const stored = await h.blobs.get(contentKey(file.id, 1));
      assert.equal(Buffer.concat(await stored!.toArray()).toString(), content);
    }
    noContentInDataDir();
  });

  it('a 200 MB upload streams to the bucket with flat memory and completes with its size and hash', async () => {
    const itwin = await newITwin(alice);
    const file = await createFile(alice, itwin.rootFolderId, 'big.ifc');
    // What the child sends: 64 KiB chunks of ones, each starting with its number.
    const expected = createHash('sha256');
    for (let n = 0; n < (200 * MB) / (64 * 1024); n++) {
      const chunk = Buffer.alloc(64 * 1024, 1);
      chunk.writeUInt32LE(n, 0);
      expected.update(chunk);
    }
    // Garbage collected while sampling (as the 50 MB local upload test does): what is measured is
    // memory held, not garbage not yet collected. The client is a process of its own.
    const gc = collector();
    gc();
    const baseline = process.memoryUsage();
    let peak = { rss: baseline.rss, arrayBuffers: baseline.arrayBuffers };
    let tick = 0;
    const sampler = setInterval(() => {
      const full = tick++ % 8 === 0;
      gc(full ? undefined : { type: 'minor' });
      const now = process.memoryUsage();
      peak = { rss: Math.max(peak.rss, now.rss), arrayBuffers: full ? Math.max(peak.arrayBuffers, now.arrayBuffers) : peak.arrayBuffers };
    }, 25);
    let res: { status: number; body: string };
    try {
      res = await streamPutFromChild(local(file.links.uploadUrl), 200 * MB);
    } finally {
      clearInterval(sampler);
    }
    assert.equal(res.status, 201, res.body);
    // Parts of 8 MiB, three in flight, are what the object store's client holds by design.
    const growth = (peak.rss - baseline.rss) / MB;
    const buffers = (peak.arrayBuffers - baseline.arrayBuffers) / MB;
    assert.ok(growth < 80, `RSS grew by ${growth.toFixed(1)} MB during a 200 MB upload`);
    assert.ok(buffers < 64, `Buffer memory grew by ${buffers.toFixed(1)} MB during a 200 MB upload`);
    const done = await alice.post(file.links.completeUrl);
    assert.equal(done.status, 200, done.body);
    assert.equal(done.json().file.size, 200 * MB);
    const row = await h.store.db.selectFrom('storage_files').select('content_hash').where('id', '=', file.id).executeTakeFirstOrThrow();
    assert.equal(row.content_hash, expected.digest('hex'));
    assert.equal((await h.blobs.head(contentKey(file.id, 1)))?.size, 200 * MB);
    noContentInDataDir();
  });

  it('update content, then delete: versions come and go in the bucket', async () => {
    const itwin = await newITwin(alice);
    const file = await createFile(alice, itwin.rootFolderId, 'changing.ifc');
    await put(file.links.uploadUrl, 'one');
    await alice.post(file.links.completeUrl);
    for (const content of ['two', 'three']) {
      const update = (await alice.post(`/storage/files/${file.id}/updatecontent`)).json();
      assert.equal((await put(update._links.uploadUrl.href, content)).status, 201);
      assert.equal((await alice.post(update._links.completeUrl.href)).status, 200);
    }
    const file3 = (await alice.get(`/storage/files/${file.id}`)).json().file;
    assert.equal(file3.size, 'three'.length);
    const keys: string[] = [];
    for await (const blob of h.blobs.list(`blobs/${file.id}/`)) keys.push(blob.key);
    assert.deepEqual(keys.sort(), [contentKey(file.id, 2), contentKey(file.id, 3)], 'the current and the previous version are kept');
    assert.equal((await alice.delete(`/storage/files/${file.id}`)).status, 204);
    const left: string[] = [];
    for await (const blob of h.blobs.list(`blobs/${file.id}/`)) left.push(blob.key);
    assert.deepEqual(left, []);
  });

  it('a run: the worker reads the file from the bucket (its emulated connector checks size and SHA-256)', async () => {
    const itwin = await newITwin(alice);
    const iModelId = await newIModel(alice, itwin.id);
    const file = await createFile(alice, itwin.rootFolderId, 'run.ifc');
    const content = `ISO-10303-21;\n/* ${randomBytes(8).toString('hex')} */\nEND-ISO-10303-21;\n`;
    await put(file.links.uploadUrl, content);
    await alice.post(file.links.completeUrl);
    const created = await alice.post(SC, { iModelId, authenticationType: 'Service', sourceFiles: [{ storageFileId: file.id, connectorType: 'IFC' }] });
    assert.equal(created.status, 201, created.body);
    const id = created.json().connection.id;
    const started = await alice.post(`${SC}/${id}/run`);
    assert.equal(started.status, 202);
    let run: { state: string; result: string };
    for (let i = 0; ; i++) {
      run = (await alice.get(relative(started.headers.location as string))).json().run;
      if (run.state === 'Completed') break;
      assert.ok(i < 1000, 'the run completed');
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(run.result, 'Success', JSON.stringify(run));
    const synced = await h.store.db.selectFrom('synced_files').select('content_hash').where('connection_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(synced.content_hash, sha256(content));
    noContentInDataDir();
  });

  it('a checkpoint is streamed from the bucket (BLOB_DOWNLOADS=stream, the default), ranges too', async () => {
    const itwin = await newITwin(alice);
    const iModelId = await newIModel(alice, itwin.id);
    const content = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    await h.blobs.put(checkpointKey(iModelId, 0), content);
    const { checkpoint } = (await alice.get(`/imodels/${iModelId}/briefcases/checkpoint`)).json();
    assert.equal(checkpoint.size, 1000);
    const whole = await fetch(local(checkpoint._links.download.href));
    assert.equal(whole.status, 200);
    assert.deepEqual(Buffer.from(await whole.arrayBuffer()), content);
    const part = await fetch(local(checkpoint._links.download.href), { headers: { range: 'bytes=10-19' } });
    assert.equal(part.status, 206);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), content.subarray(10, 20));
  });
});

onEveryStore(
  'downloads by redirect to the object store (BLOB_DOWNLOADS=redirect)',
  { env: objectStoreEnv({ BLOB_DOWNLOADS: 'redirect' }) },
  ({ h, client }) => {
    const alice = client('alice');

    it('a checkpoint download answers 302 to a presigned URL of the bucket that serves its bytes', async () => {
      const itwin = await newITwin(alice);
      const iModelId = await newIModel(alice, itwin.id);
      const content = randomBytes(4096);
      await h.blobs.put(checkpointKey(iModelId, 0), content);
      const { checkpoint } = (await alice.get(`/imodels/${iModelId}/briefcases/checkpoint`)).json();
      const answer = await h.app.inject({ method: 'GET', url: relative(checkpoint._links.download.href) });
      assert.equal(answer.statusCode, 302, answer.body);
      const location = answer.headers.location as string;
      assert.ok(location.startsWith(s3.endpoint), location);
      const fetched = await fetch(location);
      assert.equal(fetched.status, 200);
      assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), content);
    });

    it("a storage file download answers 302 to the bucket's presigned URL of its content", async () => {
      const itwin = await newITwin(alice);
      const file = await createFile(alice, itwin.rootFolderId, 'in-bucket.ifc');
      const content = randomBytes(5000);
      const put = await h.app.inject({
        method: 'PUT',
        url: relative(file.links.uploadUrl),
        payload: content,
        headers: { 'content-type': 'application/octet-stream' },
      });
      assert.equal(put.statusCode, 201, put.body);
      assert.equal((await alice.post(file.links.completeUrl)).status, 200);
      const answer = await alice.get(`/storage/files/${file.id}/download`);
      assert.equal(answer.status, 302, answer.body);
      const location = answer.headers.location as string;
      assert.ok(location.startsWith(s3.endpoint), location);
      const fetched = await fetch(location);
      assert.equal(fetched.status, 200);
      assert.equal(sha256(Buffer.from(await fetched.arrayBuffer())), sha256(content));
    });
  },
);
