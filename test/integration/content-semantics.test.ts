import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import type { Worker } from '../../src/worker/worker.js';
import { SC } from '../helpers/api.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { type Client, createFile, newIModel, newITwin, upload } from '../helpers/platform.js';
import { runEnv, startWorker } from '../helpers/runs.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * What a run synchronizes is the content a file holds when its task starts, as in the cloud, where
 * a PUT on an upload URL replaces the blob connectors read and `complete` only updates the file's
 * metadata. Bentley's sample app relies on it: it re-uploads a changed file with `updatecontent`
 * and a PUT, and never calls `complete`.
 */
onEveryStore('content a run synchronizes (the sample app’s call sequence)', { env: runEnv() }, ({ h, client }) => {
  const alice = client('alice');
  let worker: Worker;
  before(() => {
    worker = startWorker(h);
  });
  after(() => worker.stop(1000));

  /** Runs the connection to its end; its tasks' count and result. */
  async function run(c: Client, connectionId: string): Promise<{ result: string; tasks: number }> {
    const started = await c.post(`${SC}/${connectionId}/run`);
    assert.equal(started.status, 202, started.body);
    const runId = (started.headers.location as string).split('/').pop()!;
    for (let i = 0; i < 2000; i++) {
      const { run } = (await c.get(`${SC}/${connectionId}/runs/${runId}`)).json();
      if (run.state === 'Completed') {
        const tasks = (run.jobs ?? []).reduce((n: number, j: { tasks?: unknown[] }) => n + (j.tasks?.length ?? 0), 0);
        return { result: run.result, tasks };
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('run not completed in time');
  }

  const syncedHash = async (connectionId: string) =>
    (await h.store.db.selectFrom('synced_files').select('content_hash').where('connection_id', '=', connectionId).executeTakeFirstOrThrow()).content_hash;

  async function connectionOver(c: Client) {
    const itwin = await newITwin(c);
    const iModelId = await newIModel(c, itwin.id);
    const file = await createFile(c, itwin.rootFolderId, 'plant.ifc');
    assert.equal((await upload(h, file.links.uploadUrl, 'version one')).statusCode, 201);
    assert.equal((await c.post(file.links.completeUrl)).status, 200);
    const created = await c.post(`${SC}`, {
      iModelId,
      sourceFiles: [{ storageFileId: file.id, connectorType: 'IFC' }],
      authenticationType: 'Service',
    });
    assert.equal(created.status, 201, created.body);
    return { fileId: file.id, connectionId: created.json().connection.id as string };
  }

  it('updatecontent and a PUT without complete: the next run synchronizes the new content', async () => {
    const { fileId, connectionId } = await connectionOver(alice);
    assert.deepEqual(await run(alice, connectionId), { result: 'Success', tasks: 1 });
    assert.equal(await syncedHash(connectionId), sha256('version one'));

    const update = await alice.post(`/storage/files/${fileId}/updatecontent`);
    assert.equal(update.status, 200, update.body);
    assert.equal((await upload(h, update.json()._links.uploadUrl.href, 'version two, longer')).statusCode, 201);
    // The file's metadata still describes the completed version, as the cloud's does until complete.
    assert.equal((await alice.get(`/storage/files/${fileId}`)).json().file.size, 'version one'.length);

    assert.deepEqual(await run(alice, connectionId), { result: 'Success', tasks: 1 }, 'the new content is a change');
    assert.equal(await syncedHash(connectionId), sha256('version two, longer'));
    const changesets = await h.store.db.selectFrom('changesets').select(['content_hash']).orderBy('changeset_index').execute();
    assert.ok(
      changesets.some((c) => c.content_hash === sha256('version two, longer')),
      'the changeset names what it synchronized',
    );

    // A second PUT before any complete replaces it again; the run after sees that one.
    assert.equal((await upload(h, update.json()._links.uploadUrl.href, 'version three')).statusCode, 201);
    assert.deepEqual(await run(alice, connectionId), { result: 'Success', tasks: 1 });
    assert.equal(await syncedHash(connectionId), sha256('version three'));

    // complete then changes the metadata only: nothing new to synchronize.
    assert.equal((await alice.post(update.json()._links.completeUrl.href)).status, 200);
    assert.equal((await alice.get(`/storage/files/${fileId}`)).json().file.size, 'version three'.length);
    assert.deepEqual(await run(alice, connectionId), { result: 'Success', tasks: 0 });
  });

  it('uncommitted blocks never replace the content; a committed block list does', async () => {
    const { fileId, connectionId } = await connectionOver(alice);
    assert.equal((await run(alice, connectionId)).tasks, 1);
    const update = await alice.post(`/storage/files/${fileId}/updatecontent`);
    const uploadUrl = update.json()._links.uploadUrl.href as string;
    const blockId = Buffer.from('0001').toString('base64');
    const staged = await upload(h, `${uploadUrl}&comp=block&blockid=${encodeURIComponent(blockId)}`, 'a block');
    assert.equal(staged.statusCode, 201, staged.body);
    assert.deepEqual(await run(alice, connectionId), { result: 'Success', tasks: 0 }, 'an uncommitted block is not content');
    assert.equal(await syncedHash(connectionId), sha256('version one'));

    const list = `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${blockId}</Latest></BlockList>`;
    const committed = await upload(h, `${uploadUrl}&comp=blocklist`, list, { 'content-type': 'application/xml' });
    assert.equal(committed.statusCode, 201, committed.body);
    assert.deepEqual(await run(alice, connectionId), { result: 'Success', tasks: 1 });
    assert.equal(await syncedHash(connectionId), sha256('a block'));
  });
});
