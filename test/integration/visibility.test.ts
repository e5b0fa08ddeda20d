import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { onEveryStore } from '../helpers/on-every-store.js';
import { createBody, postCreate } from '../helpers/requests.js';
import { completedFile, newIModel, newITwin } from '../helpers/platform.js';

/**
 * Two users who share nothing: neither sees the other's iTwins, iModels, folders, files or storage
 * connections, until one makes the other a member.
 */
onEveryStore('who may see what', ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');
  let a: { iTwinId: string; rootFolderId: string; iModelId: string; fileId: string; connectionId: string };
  let b: { iTwinId: string; iModelId: string; fileId: string };

  before(async () => {
    const aliceITwin = await newITwin(alice, 'Alice’s');
    const aliceIModel = await newIModel(alice, aliceITwin.id);
    const aliceFile = await completedFile(h, alice, aliceITwin.rootFolderId, 'alice.ifc');
    const created = await postCreate(h, createBody(aliceIModel, [aliceFile]), { token: alice.token });
    assert.equal(created.statusCode, 201);
    a = { iTwinId: aliceITwin.id, rootFolderId: aliceITwin.rootFolderId, iModelId: aliceIModel, fileId: aliceFile, connectionId: created.json().connection.id };
    const bobITwin = await newITwin(bob, 'Bob’s');
    b = { iTwinId: bobITwin.id, iModelId: await newIModel(bob, bobITwin.id), fileId: await completedFile(h, bob, bobITwin.rootFolderId, 'bob.ifc') };
  });

  it("answers 403 InsufficientPermissions to B for A's iTwin, iModel, folder, file and storage connection", async () => {
    for (const url of [
      `/itwins/${a.iTwinId}`,
      `/imodels/${a.iModelId}`,
      `/imodels?iTwinId=${a.iTwinId}`,
      `/storage/?iTwinId=${a.iTwinId}`,
      `/storage/folders/${a.rootFolderId}`,
      `/storage/files/${a.fileId}`,
      `/accesscontrol/itwins/${a.iTwinId}/members`,
      `/synchronization/imodels/storageconnections/${a.connectionId}`,
      `/synchronization/imodels/storageconnections?imodelId=${a.iModelId}`,
    ]) {
      const res = await bob.get(url);
      assert.equal(res.status, 403, url);
      assert.deepEqual(res.json(), {
        error: { code: 'InsufficientPermissions', message: 'The user has insufficient permissions for the requested operation.' },
      });
    }
  });

  it("does not list A's iTwins or connections to B", async () => {
    assert.deepEqual(
      (await bob.get('/itwins')).json().iTwins.map((t: { id: string }) => t.id),
      [b.iTwinId],
    );
    assert.deepEqual(
      (await alice.get('/itwins')).json().iTwins.map((t: { id: string }) => t.id),
      [a.iTwinId],
    );
    const connections = (await bob.get('/synchronization/imodels/storageconnections')).json().connections;
    assert.equal(
      connections.some((c: { id: string }) => c.id === a.connectionId),
      false,
    );
  });

  it("reports A's iModel and file as not valid (422) when B creates a connection with them", async () => {
    const both = await postCreate(h, createBody(a.iModelId, [a.fileId]), { token: bob.token });
    assert.equal(both.statusCode, 422);
    assert.deepEqual(
      both.json().error.details.map((d: { target: string }) => d.target),
      ['imodelId', 'storageFileId'],
    );
    // B's own iModel with A's file: the file is still not valid for B.
    const file = await postCreate(h, createBody(b.iModelId, [a.fileId]), { token: bob.token });
    assert.equal(file.statusCode, 422);
    assert.deepEqual(file.json().error.details, [{ code: 'InvalidValue', message: 'Provided storageFileId value is not valid.', target: 'storageFileId' }]);
  });

  it("does not let B change A's things", async () => {
    for (const res of [
      await bob.post('/imodels', { iTwinId: a.iTwinId, name: 'intruder' }),
      await bob.delete(`/imodels/${a.iModelId}`),
      await bob.delete(`/itwins/${a.iTwinId}`),
      await bob.delete(`/storage/files/${a.fileId}`),
      await bob.post(`/storage/files/${a.fileId}/updatecontent`),
      await bob.post(`/accesscontrol/itwins/${a.iTwinId}/members`, { userId: 'bob' }),
    ]) {
      assert.equal(res.status, 403);
    }
    assert.equal((await alice.get(`/imodels/${a.iModelId}`)).status, 200);
  });

  it('gives B access to everything in the iTwin once A adds B as a member, and takes it back on removal', async () => {
    assert.equal((await alice.post(`/accesscontrol/itwins/${a.iTwinId}/members`, { userId: 'bob' })).status, 201);
    for (const url of [
      `/itwins/${a.iTwinId}`,
      `/imodels/${a.iModelId}`,
      `/storage/files/${a.fileId}`,
      `/synchronization/imodels/storageconnections/${a.connectionId}`,
    ]) {
      assert.equal((await bob.get(url)).status, 200, url);
    }
    const other = await newIModel(bob, a.iTwinId);
    assert.equal((await postCreate(h, createBody(other, [a.fileId]), { token: bob.token })).statusCode, 201);
    assert.equal((await alice.delete(`/accesscontrol/itwins/${a.iTwinId}/members/bob`)).status, 204);
    assert.equal((await bob.get(`/imodels/${a.iModelId}`)).status, 403);
  });
});
