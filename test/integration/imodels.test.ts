import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { countRows, createBody, postCreate } from '../helpers/requests.js';
import { completedFile, newIModel, newITwin } from '../helpers/platform.js';
import { assertContinues } from '../helpers/paging.js';

const V1 = 'application/vnd.bentley.itwin-platform.v1+json';
const V2 = 'application/vnd.bentley.itwin-platform.v2+json';

onEveryStore('iModels', ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');

  describe('POST /imodels', () => {
    it('creates an empty iModel in state initialized with the documented fields and a Location', async () => {
      const itwin = await newITwin(alice);
      const extent = { southWest: { latitude: 39.9, longitude: -75.6 }, northEast: { latitude: 40.1, longitude: -75.4 } };
      const res = await alice.post('/imodels', { iTwinId: itwin.id, name: 'Sun City', description: 'a city', extent }, { accept: V2 });
      assert.equal(res.status, 201);
      const { iModel } = res.json();
      assert.deepEqual(iModel, {
        id: iModel.id,
        displayName: 'Sun City',
        name: 'Sun City',
        description: 'a city',
        state: 'initialized',
        createdDateTime: iModel.createdDateTime,
        iTwinId: itwin.id,
        extent,
        dataCenterLocation: 'East US',
        _links: {
          creator: { href: `${PUBLIC_URL}/imodels/${iModel.id}/users/alice` },
          changesets: { href: `${PUBLIC_URL}/imodels/${iModel.id}/changesets` },
          namedVersions: { href: `${PUBLIC_URL}/imodels/${iModel.id}/namedversions` },
        },
      });
      assert.equal(res.headers.location, `${PUBLIC_URL}/imodels/${iModel.id}`);
    });

    it('serves the v1 and v2 media types and refuses others with 406', async () => {
      const itwin = await newITwin(alice);
      assert.equal((await alice.post('/imodels', { iTwinId: itwin.id, name: 'v1' }, { accept: V1 })).status, 201);
      assert.equal((await alice.post('/imodels', { iTwinId: itwin.id, name: 'v2' }, { accept: V2 })).status, 201);
      const v3 = await alice.get(`/imodels?iTwinId=${itwin.id}`, { accept: 'application/vnd.bentley.itwin-platform.v3+json' });
      assert.equal(v3.status, 406);
      assert.match(v3.json().error.message, /v2\+json/);
      // The other platform APIs stay v1 only.
      assert.equal((await alice.get(`/itwins/${itwin.id}`, { accept: V2 })).status, 406);
    });

    it('reports body problems in one 422 InvalidiModelsRequest', async () => {
      const res = await alice.post('/imodels', { iTwinId: 'x', extent: { southWest: { latitude: 91, longitude: 0 } } });
      assert.equal(res.status, 422);
      assert.equal(res.json().error.code, 'InvalidiModelsRequest');
      assert.deepEqual(
        res.json().error.details.map((d: { code: string; target: string }) => `${d.code}:${d.target}`),
        ['InvalidValue:iTwinId', 'MissingRequiredProperty:name', 'InvalidValue:extent.southWest.latitude', 'MissingRequiredProperty:extent.northEast'],
      );
    });

    it('is 404 iTwinNotFound for an unknown iTwin and 403 for an iTwin of someone else', async () => {
      const unknown = await alice.post('/imodels', { iTwinId: '00000000-0000-4000-8000-000000000000', name: 'x' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json().error.code, 'iTwinNotFound');
      const itwin = await newITwin(alice);
      const forbidden = await bob.post('/imodels', { iTwinId: itwin.id, name: 'x' });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.json().error.code, 'InsufficientPermissions');
    });

    it('refuses a second iModel of the same name in an iTwin (409 iModelExists), also when both arrive at once', async () => {
      const itwin = await newITwin(alice);
      assert.equal((await alice.post('/imodels', { iTwinId: itwin.id, name: 'twin' })).status, 201);
      const again = await alice.post('/imodels', { iTwinId: itwin.id, name: 'twin' });
      assert.equal(again.status, 409);
      assert.equal(again.json().error.code, 'iModelExists');
      const other = await newITwin(alice);
      assert.equal((await alice.post('/imodels', { iTwinId: other.id, name: 'twin' })).status, 201, 'names are per iTwin');
      const racing = await Promise.all(Array.from({ length: 10 }, () => alice.post('/imodels', { iTwinId: itwin.id, name: 'race' })));
      assert.deepEqual(racing.map((r) => r.status).sort(), [201, ...Array(9).fill(409)]);
    });
  });

  describe('GET /imodels/{id} and GET /imodels', () => {
    it('gets an iModel for a member; 403 otherwise; 404 iModelNotFound when unknown', async () => {
      const itwin = await newITwin(alice);
      const id = await newIModel(alice, itwin.id, 'shown');
      const res = await alice.get(`/imodels/${id}`);
      assert.equal(res.status, 200);
      assert.equal(res.json().iModel.name, 'shown');
      assert.equal((await bob.get(`/imodels/${id}`)).status, 403);
      const unknown = await alice.get('/imodels/00000000-0000-4000-8000-000000000000');
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.json(), { error: { code: 'iModelNotFound', message: 'Requested iModel is not available.' } });
    });

    it('lists the iModels of an iTwin oldest first, minimal or full, paged, filtered by name', async () => {
      const itwin = await newITwin(alice);
      const ids = [await newIModel(alice, itwin.id, 'a'), await newIModel(alice, itwin.id, 'b'), await newIModel(alice, itwin.id, 'c')];
      const minimal = await alice.get(`/imodels?iTwinId=${itwin.id}`);
      assert.equal(minimal.status, 200);
      assert.deepEqual(minimal.json().iModels, [
        { id: ids[0], displayName: 'a' },
        { id: ids[1], displayName: 'b' },
        { id: ids[2], displayName: 'c' },
      ]);
      const full = await alice.get(`/imodels?iTwinId=${itwin.id}&$top=1&$skip=1`, { prefer: 'return=representation' });
      assert.equal(full.json().iModels[0].id, ids[1]);
      assert.equal(full.json().iModels[0].state, 'initialized');
      const links = full.json()._links;
      assert.deepEqual(links.self, { href: `${PUBLIC_URL}/imodels?iTwinId=${itwin.id}&$skip=1&$top=1` });
      assert.deepEqual(links.prev, { href: `${PUBLIC_URL}/imodels?iTwinId=${itwin.id}&$skip=0&$top=1` });
      assertContinues(links.next.href, `${PUBLIC_URL}/imodels?iTwinId=${itwin.id}&`, 1);
      assert.equal((await alice.get(links.next.href.slice(PUBLIC_URL.length))).json().iModels[0].id, ids[2]);
      assert.deepEqual((await alice.get(`/imodels?iTwinId=${itwin.id}&name=b`)).json().iModels, [{ id: ids[1], displayName: 'b' }]);
    });

    it('requires iTwinId (422) and membership (403) to list', async () => {
      const missing = await alice.get('/imodels');
      assert.equal(missing.status, 422);
      assert.deepEqual(missing.json().error.details, [{ code: 'MissingRequiredProperty', message: 'Required property is missing.', target: 'iTwinId' }]);
      const itwin = await newITwin(alice);
      assert.equal((await bob.get(`/imodels?iTwinId=${itwin.id}`)).status, 403);
    });
  });

  describe('DELETE /imodels/{id}', () => {
    it('deletes the iModel with its storage connections, their source files and runs, and what runs recorded in it; the storage files stay', async () => {
      const itwin = await newITwin(alice);
      const iModelId = await newIModel(alice, itwin.id);
      const fileId = await completedFile(h, alice, itwin.rootFolderId);
      const created = await postCreate(h, createBody(iModelId, [fileId]), { token: alice.token });
      assert.equal(created.statusCode, 201);
      const connectionId = created.json().connection.id;
      const run = await alice.post(`/synchronization/imodels/storageconnections/${connectionId}/run`);
      assert.equal(run.status, 202);
      // What a run recorded in the iModel (written by workers; none runs in this harness).
      await h.store.versions.append({
        id: 'a'.repeat(40),
        index: 1,
        parentId: '',
        iModelId,
        description: 'Synchronized a file.',
        creatorId: 'alice',
        pushedAt: new Date().toISOString(),
        containingChanges: 0,
        application: { id: 'twinsync-emulate', name: 'twinsync' },
        taskId: 't-1',
        runId: 'r-1',
        sourceFileId: 's-1',
        action: 'sync',
        contentHash: null,
        changedFiles: ['a.ifc'],
        checkpointSize: null,
        checkpointPruned: false,
        elementChangesId: null,
      });
      await h.store.versions.insertNamedVersion({
        id: 'nv-1',
        iModelId,
        name: 'v1',
        description: null,
        state: 'visible',
        changesetId: 'a'.repeat(40),
        changesetIndex: 1,
        createdAt: new Date().toISOString(),
        creatorId: 'alice',
      });
      const before = await countRows(h);
      const res = await alice.delete(`/imodels/${iModelId}`);
      assert.equal(res.status, 204);
      assert.equal(res.body, '');
      const after = await countRows(h);
      assert.deepEqual(
        { connections: before.connections - after.connections, sourceFiles: before.sourceFiles - after.sourceFiles },
        { connections: 1, sourceFiles: 1 },
      );
      assert.equal((await alice.get(`/imodels/${iModelId}`)).status, 404);
      assert.deepEqual(await h.store.db.selectFrom('runs').select('id').where('connection_id', '=', connectionId).execute(), []);
      assert.deepEqual(await h.store.db.selectFrom('changesets').select('task_id').where('imodel_id', '=', iModelId).execute(), []);
      assert.deepEqual(await h.store.db.selectFrom('named_versions').select('id').where('imodel_id', '=', iModelId).execute(), []);
      assert.equal((await alice.get(`/storage/files/${fileId}`)).status, 200);
      // The storage file can be mapped again into another iModel.
      const next = await newIModel(alice, itwin.id);
      assert.equal((await postCreate(h, createBody(next, [fileId]), { token: alice.token })).statusCode, 201);
    });

    it('is 403 for a non-member (nothing deleted) and 404 when unknown', async () => {
      const itwin = await newITwin(alice);
      const iModelId = await newIModel(alice, itwin.id);
      assert.equal((await bob.delete(`/imodels/${iModelId}`)).status, 403);
      assert.equal((await alice.get(`/imodels/${iModelId}`)).status, 200);
      assert.equal((await alice.delete('/imodels/00000000-0000-4000-8000-000000000000')).status, 404);
    });
  });
});
