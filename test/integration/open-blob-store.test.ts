import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalBlobStore } from '../../src/blobs/local-blob-store.js';
import { checkBlobStore, openBlobStore, parseBlobStoreUrl } from '../../src/blobs/open-blob-store.js';
import { S3BlobStore } from '../../src/blobs/s3-blob-store.js';
import { StartError } from '../../src/start-errors.js';
import { type S3Server, startS3Server } from '../helpers/s3-server.js';
import { freePort } from '../helpers/server-process.js';

describe('BLOB_STORE_URL', () => {
  it('is s3://bucket, with a prefix or not, the prefix without slashes at its ends or doubled', () => {
    assert.deepEqual(parseBlobStoreUrl('s3://my-bucket'), { bucket: 'my-bucket', prefix: '' });
    assert.deepEqual(parseBlobStoreUrl('s3://my-bucket/'), { bucket: 'my-bucket', prefix: '' });
    assert.deepEqual(parseBlobStoreUrl('s3://my.bucket.1/twinsync/prod/'), { bucket: 'my.bucket.1', prefix: 'twinsync/prod' });
    assert.deepEqual(parseBlobStoreUrl(' s3://abc//a//b '), { bucket: 'abc', prefix: 'a/b' });
  });

  it('refuses anything else, naming the variable', () => {
    for (const url of [
      '',
      'http://bucket',
      's3://',
      's3://ab',
      's3://Upper',
      's3://-dash',
      'bucket/prefix',
      's3://bucket/../up',
      's3://bucket/a b',
      's3://bucket?x=1',
    ]) {
      assert.throws(() => parseBlobStoreUrl(url), /^Error: BLOB_STORE_URL/, url);
    }
  });
});

describe('opening and checking the blob store', () => {
  let server: S3Server;
  before(async () => {
    server = await startS3Server();
  });
  after(() => server.close());

  it('opens the folder without settings, the object store with them', () => {
    const local = openBlobStore(undefined, path.join(os.tmpdir(), 'twinsync-data'));
    assert.ok(local instanceof LocalBlobStore);
    assert.equal(local.description, `folder ${path.join(os.tmpdir(), 'twinsync-data')}`);
    assert.ok(openBlobStore(server.settings('p'), '/unused') instanceof S3BlobStore);
  });

  it('passes for a reachable bucket, saying what s3rver cannot do', async () => {
    assert.deepEqual(await checkBlobStore(openBlobStore(undefined, os.tmpdir())), { warnings: [] });
    const { warnings } = await checkBlobStore(openBlobStore(server.settings('p'), '/unused'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /^s3:\/\/twinsync-test\/p at http:\/\/127\.0\.0\.1:\d+ cannot list multipart uploads/);
  });

  it('names the bucket that does not exist', async () => {
    const store = openBlobStore({ ...server.settings(''), bucket: 'no-such-bucket' }, '/unused');
    await assert.rejects(checkBlobStore(store), (error) => {
      assert.ok(error instanceof StartError);
      assert.equal(error.setting, 'BLOB_STORE_URL');
      assert.equal(error.message, `cannot use the object store s3://no-such-bucket at ${server.endpoint}: the bucket does not exist`);
      return true;
    });
  });

  it('names the endpoint where nothing listens', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const store = openBlobStore({ ...server.settings('x'), endpoint }, '/unused');
    await assert.rejects(checkBlobStore(store), (error) => {
      assert.ok(error instanceof StartError);
      assert.equal(error.setting, 'S3_ENDPOINT');
      assert.equal(error.message, `cannot use the object store s3://twinsync-test/x at ${endpoint}: connection refused (nothing listens there)`);
      return true;
    });
  });
});
