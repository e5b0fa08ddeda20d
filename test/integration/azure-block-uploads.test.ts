import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { before, it } from 'node:test';
import { AnonymousCredential, BlockBlobClient, newPipeline, RestError } from '@azure/storage-blob';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { createFile, newITwin } from '../helpers/platform.js';

const KB = 1024;
const MB = 1024 * KB;

/**
 * Upload URLs used as Azure Blob SAS URLs by the real Azure client (@azure/storage-blob), against a
 * listening server: in many blocks (Put Block, then Put Block List), streamed, in one shot, and
 * with blocks sent out of order. The content completed is compared by SHA-256 with the source.
 */
onEveryStore('uploads with the Azure Blob client (blocks and block lists)', { env: { UPLOAD_LIMIT_BYTES: String(64 * MB) } }, ({ h, client }) => {
  const alice = client('alice');
  let origin: string;
  before(async () => {
    origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });

  const local = (href: string) => href.replace(PUBLIC_URL, origin);
  /** No retries: a refused request must show as refused, not be tried again. */
  const blobClient = (href: string) => new BlockBlobClient(local(href), newPipeline(new AnonymousCredential(), { retryOptions: { maxTries: 1 } }));
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const blocksOf = (fileId: string) => path.join(h.config.dataDir, 'uploads', 'blocks', `${fileId}.1`);

  /** A new file, its content sent by `send`, then completed: the stored content and what complete said. */
  async function uploadAndComplete(send: (blob: BlockBlobClient) => Promise<unknown>) {
    const itwin = await newITwin(alice);
    const file = await createFile(alice, itwin.rootFolderId);
    await send(blobClient(file.links.uploadUrl));
    const done = await alice.post(file.links.completeUrl);
    assert.equal(done.status, 200, done.body);
    const content = fs.readFileSync(path.join(h.config.dataDir, 'blobs', file.id, '1'));
    return { file, content, size: done.json().file.size as number };
  }

  it('uploadData forced into many small blocks stores exactly the source', async () => {
    const source = randomBytes(3 * MB + 12_345);
    const { file, content, size } = await uploadAndComplete((blob) =>
      blob.uploadData(source, { blockSize: 64 * KB, maxSingleShotSize: 64 * KB, concurrency: 8 }),
    );
    assert.equal(size, source.length);
    assert.equal(sha256(content), sha256(source));
    assert.equal(fs.existsSync(blocksOf(file.id)), false, 'complete removes the upload’s blocks');
  });

  it('uploadStream stores exactly the source', async () => {
    const source = randomBytes(2 * MB + 7);
    const { content } = await uploadAndComplete((blob) => blob.uploadStream(Readable.from([source.subarray(0, MB), source.subarray(MB)]), 256 * KB, 4));
    assert.equal(sha256(content), sha256(source));
  });

  it('a single-shot upload (Put Blob) stores exactly the source', async () => {
    const source = randomBytes(300 * KB);
    const { content } = await uploadAndComplete((blob) => blob.uploadData(source));
    assert.equal(sha256(content), sha256(source));
  });

  it('blocks sent out of order become the content in the order of the list', async () => {
    const source = randomBytes(10 * 100 * KB);
    const ids = Array.from({ length: 10 }, (_, i) => Buffer.from(`block-${String(i).padStart(6, '0')}`).toString('base64'));
    const { content } = await uploadAndComplete(async (blob) => {
      for (const i of [7, 2, 9, 0, 5, 3, 8, 1, 6, 4]) await blob.stageBlock(ids[i]!, source.subarray(i * 100 * KB, (i + 1) * 100 * KB), 100 * KB);
      // A block sent twice: the later body is the block.
      await blob.stageBlock(ids[3]!, Buffer.alloc(100 * KB, 1), 100 * KB);
      await blob.stageBlock(ids[3]!, source.subarray(3 * 100 * KB, 4 * 100 * KB), 100 * KB);
      await blob.commitBlockList(ids);
    });
    assert.equal(sha256(content), sha256(source));
  });

  it('only the committed list decides the content: uncommitted blocks never do, and are discarded by the commit', async () => {
    const itwin = await newITwin(alice);
    const file = await createFile(alice, itwin.rootFolderId);
    const blob = blobClient(file.links.uploadUrl);
    const [a, b, c] = ['AAAA', 'BBBB', 'CCCC'].map((s) => Buffer.from(s).toString('base64'));
    await blob.stageBlock(a!, Buffer.from('first '), 6);
    await blob.stageBlock(b!, Buffer.from('second'), 6);
    // Nothing committed: nothing to complete.
    assert.equal((await alice.post(file.links.completeUrl)).status, 409);
    await blob.stageBlock(c!, Buffer.from(' never'), 6);
    await blob.commitBlockList([a!, b!]);
    // The earlier list's blocks stay addressable as committed; the uncommitted one was discarded.
    await blob.commitBlockList([b!, a!]);
    await assert.rejects(blob.commitBlockList([a!, c!]), (error: RestError) => error.statusCode === 400 && error.code === 'InvalidBlockList');
    assert.equal((await alice.post(file.links.completeUrl)).status, 200);
    assert.equal(fs.readFileSync(path.join(h.config.dataDir, 'blobs', file.id, '1'), 'utf8'), 'secondfirst ');
  });

  it('refuses what Azure refuses, with Azure’s XML errors the client reads, and changes nothing', async () => {
    const itwin = await newITwin(alice);
    const file = await createFile(alice, itwin.rootFolderId);
    const blob = blobClient(file.links.uploadUrl);
    const code = (expected: string, status: number) => (error: RestError) => error.statusCode === status && error.code === expected;
    await blob.stageBlock(Buffer.from('abcd').toString('base64'), Buffer.from('x'), 1);
    // Ids of another length than the upload's other blocks.
    await assert.rejects(blob.stageBlock(Buffer.from('abcdef').toString('base64'), Buffer.from('y'), 1), code('InvalidBlobOrBlock', 400));
    // An id longer than 64 bytes.
    await assert.rejects(blob.stageBlock(Buffer.alloc(65, 1).toString('base64'), Buffer.from('y'), 1), code('InvalidQueryParameterValue', 400));
    // A list naming a block never sent.
    await assert.rejects(blob.commitBlockList([Buffer.from('zzzz').toString('base64')]), code('InvalidBlockList', 400));
    // A tampered URL.
    const tampered = new URL(local(file.links.uploadUrl));
    const signature = tampered.searchParams.get('signature')!;
    tampered.searchParams.set('signature', `${signature[0] === 'x' ? 'y' : 'x'}${signature.slice(1)}`); // never the same
    await assert.rejects(
      new BlockBlobClient(tampered.href, newPipeline(new AnonymousCredential(), { retryOptions: { maxTries: 1 } })).uploadData(Buffer.from('no')),
      code('AuthenticationFailed', 403),
    );
    assert.equal((await alice.post(file.links.completeUrl)).status, 409, 'nothing was committed');

    // By hand: other comp values, malformed lists; XML to Azure clients (x-ms-version), our JSON shape to others.
    const url = new URL(local(file.links.uploadUrl));
    url.searchParams.set('comp', 'appendblock');
    const azure = await fetch(url, { method: 'PUT', headers: { 'x-ms-version': '2025-01-05' }, body: 'x' });
    assert.equal(azure.status, 400);
    assert.equal(azure.headers.get('x-ms-error-code'), 'InvalidQueryParameterValue');
    assert.match(
      await azure.text(),
      /^<\?xml version="1.0" encoding="utf-8"\?><Error><Code>InvalidQueryParameterValue<\/Code><Message>[^<]+<\/Message><\/Error>$/,
    );
    const plain = await fetch(url, { method: 'PUT', body: 'x' });
    assert.equal(plain.status, 400);
    assert.equal(((await plain.json()) as { error: { code: string } }).error.code, 'InvalidQueryParameterValue');
    url.searchParams.set('comp', 'blocklist');
    for (const body of ['not xml', '<BlockList><Latest>QUJDRA==</Latest><Other/></BlockList>', '<BlockList><Latest>not base64!</Latest></BlockList>']) {
      const refused = await fetch(url, { method: 'PUT', headers: { 'x-ms-version': '2025-01-05' }, body });
      assert.equal(refused.status, 400, body);
      assert.match(refused.headers.get('x-ms-error-code') ?? '', /^(InvalidXmlDocument|InvalidQueryParameterValue)$/);
    }
    assert.equal((await alice.post(file.links.completeUrl)).status, 409, 'still nothing committed');
  });

  it('a whole PUT after blocks replaces them, and deleting the file removes its blocks', async () => {
    const itwin = await newITwin(alice);
    const file = await createFile(alice, itwin.rootFolderId);
    const blob = blobClient(file.links.uploadUrl);
    await blob.stageBlock(Buffer.from('abcd').toString('base64'), Buffer.from('block'), 5);
    assert.ok(fs.existsSync(blocksOf(file.id)));
    await blob.uploadData(Buffer.from('whole'));
    assert.equal(fs.existsSync(blocksOf(file.id)), false);
    await blob.stageBlock(Buffer.from('abcd').toString('base64'), Buffer.from('block'), 5);
    assert.equal((await alice.delete(`/storage/files/${file.id}`)).status, 204);
    assert.equal(fs.existsSync(blocksOf(file.id)), false);
  });
});
