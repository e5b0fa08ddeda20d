import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { call, connectionFixture, SC } from '../helpers/api.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { createBody, postCreate } from '../helpers/requests.js';
import { assertContinues } from '../helpers/paging.js';

const UNKNOWN_ID = 'MWplZe9Uf0iR1IDMqyOMLqBN0_wHEVBGg_CzJmXdmE4';

onEveryStore('storage connection lifecycle', ({ h }) => {
  describe('GET /storageconnections/{id}', () => {
    it('200 with the connection and its links', async () => {
      const { connection, iModelId, itwin } = await connectionFixture(h);
      const res = await call(h, 'GET', `${SC}/${connection.id}`, { scopes: ['synchronization:read'] });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().connection, {
        id: connection.id,
        displayName: 'fixture',
        iModelId,
        iTwinId: itwin.id,
        authenticationType: 'User',
        _links: { iModel: { href: `${PUBLIC_URL}/imodels/${iModelId}` }, iTwin: { href: `${PUBLIC_URL}/itwins/${itwin.id}` } },
      });
    });

    it('shows _links.lastRun once a run exists', async () => {
      const { connection } = await connectionFixture(h);
      const runId = '0f3c7a52-3b66-4b11-9d1a-5f0b7c7a0e11';
      await h.store.db.updateTable('storage_connections').set({ last_run_id: runId }).where('id', '=', connection.id).execute();
      const res = await call(h, 'GET', `${SC}/${connection.id}`);
      assert.equal(res.json().connection._links.lastRun.href, `${PUBLIC_URL}${SC}/${connection.id}/runs/${runId}`);
    });

    it('404 StorageConnectionNotFound, 422 for a malformed id, 403 for another iTwin', async () => {
      const missing = await call(h, 'GET', `${SC}/${UNKNOWN_ID}`);
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(missing.json(), { error: { code: 'StorageConnectionNotFound', message: 'Requested StorageConnection is not available.' } });
      const malformed = await call(h, 'GET', `${SC}/abc`);
      assert.equal(malformed.statusCode, 422);
      assert.deepEqual(malformed.json().error.details, [
        { code: 'InvalidValue', message: 'Provided connectionId value is not valid.', target: 'connectionId' },
      ]);
      const { connection } = await connectionFixture(h);
      const other = await call(h, 'GET', `${SC}/${connection.id}`, { subject: 'bob' });
      assert.equal(other.statusCode, 403);
      assert.equal(other.json().error.code, 'InsufficientPermissions');
    });

    it('reads need synchronization:read or itwin-platform', async () => {
      const { connection } = await connectionFixture(h);
      const res = await call(h, 'GET', `${SC}/${connection.id}`, { scopes: ['synchronization:modify'] });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'RequiredScopeMissing');
    });

    it('accepts camel-case segments, Content-Type on a GET without body, and unknown query parameters', async () => {
      const { connection } = await connectionFixture(h);
      const res = await call(h, 'GET', `/synchronization/imodels/storageConnections/${connection.id}?imodelId=x&foo=1`, {
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.statusCode, 200);
    });
  });

  describe('GET /storageconnections (list)', () => {
    let iModelId: string;
    let ids: string[];
    before(async () => {
      const itwin = await h.itwin();
      iModelId = await h.imodel(itwin);
      ids = [];
      for (let i = 0; i < 5; i++) {
        const res = await postCreate(h, createBody(iModelId, [await h.file(itwin, `l${i}.dgn`)], { displayName: `c${i}` }));
        ids.push(res.json().connection.id);
      }
    });

    it('minimal by default, oldest first, with links', async () => {
      const res = await call(h, 'GET', `${SC}?imodelId=${iModelId}`);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.deepEqual(
        body.connections,
        ids.map((id, i) => ({ id, displayName: `c${i}` })),
      );
      assert.equal(body._links.self.href, `${PUBLIC_URL}${SC}?iModelId=${iModelId}&$skip=0&$top=1000`);
      assert.equal(body._links.next, undefined);
      assert.equal(body._links.prev, undefined);
    });

    it('Prefer: return=representation gives whole connections', async () => {
      const res = await call(h, 'GET', `${SC}?iModelId=${iModelId}`, { headers: { prefer: 'return=representation' } });
      const first = res.json().connections[0];
      assert.equal(first.iModelId, iModelId);
      assert.equal(first.authenticationType, 'User');
      assert.ok(first._links.iModel.href);
    });

    it('pages stably with $top/$skip and prev/next links', async () => {
      const seen: string[] = [];
      for (let skip = 0; skip < 5; skip += 2) {
        const res = await call(h, 'GET', `${SC}?IMODELID=${iModelId}&$top=2&$skip=${skip}`);
        assert.equal(res.statusCode, 200);
        const body = res.json();
        seen.push(...body.connections.map((c: { id: string }) => c.id));
        assert.equal(body._links.self.href, `${PUBLIC_URL}${SC}?iModelId=${iModelId}&$skip=${skip}&$top=2`);
        assert.equal(body._links.prev?.href, skip === 0 ? undefined : `${PUBLIC_URL}${SC}?iModelId=${iModelId}&$skip=${skip - 2}&$top=2`);
        if (skip + 2 < 5) assertContinues(body._links.next?.href, `${PUBLIC_URL}${SC}?iModelId=${iModelId}&`, 2);
        else assert.equal(body._links.next, undefined);
      }
      assert.deepEqual(seen, ids);
      const one = await call(h, 'GET', `${SC}?imodelId=${iModelId}&$top=1&$skip=1`);
      assert.deepEqual(
        one.json().connections.map((c: { id: string }) => c.id),
        [ids[1]],
      );
    });

    it('$skip past the end is an empty page', async () => {
      const res = await call(h, 'GET', `${SC}?imodelId=${iModelId}&$skip=50`);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json().connections, []);
      assert.ok(res.json()._links.prev);
      assert.equal(res.json()._links.next, undefined);
    });

    for (const [query, target] of [
      ['$top=0', '$top'],
      ['$top=-1', '$top'],
      ['$top=abc', '$top'],
      ['$top=1001', '$top'],
      ['$skip=-3', '$skip'],
      ['$skip=1.5', '$skip'],
    ]) {
      it(`${query} → 422 InvalidValue on ${target}`, async () => {
        const res = await call(h, 'GET', `${SC}?imodelId=${iModelId}&${query}`);
        assert.equal(res.statusCode, 422);
        assert.equal(res.json().error.code, 'InvalidStorageConnectionRequest');
        assert.equal(res.json().error.details[0].target, target);
      });
    }

    it("an unknown iModel is 404, a malformed one 422, another iTwin's 403", async () => {
      assert.equal((await call(h, 'GET', `${SC}?imodelId=7dbd531d-6967-47b2-8945-a722a437ad7a`)).json().error.code, 'iModelNotFound');
      assert.equal((await call(h, 'GET', `${SC}?imodelId=nope`)).statusCode, 422);
      assert.equal((await call(h, 'GET', `${SC}?imodelId=${iModelId}`, { subject: 'bob' })).statusCode, 403);
    });

    it('without imodelId lists every connection the caller can see, and nothing of others', async () => {
      const mine = (await call(h, 'GET', SC)).json().connections.map((c: { id: string }) => c.id);
      for (const id of ids) assert.ok(mine.includes(id));
      assert.deepEqual((await call(h, 'GET', SC, { subject: 'bob' })).json().connections, []);
    });

    it('GET /imodels/connections lists the same, and requires imodelId', async () => {
      const res = await call(h, 'GET', `/synchronization/imodels/connections?imodelId=${iModelId}&$top=2`, { headers: { prefer: 'return=representation' } });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(
        res.json().connections.map((c: { id: string }) => c.id),
        ids.slice(0, 2),
      );
      assert.ok(res.json().connections[0]._links);
      assertContinues(res.json()._links.next.href, `${PUBLIC_URL}/synchronization/imodels/connections?iModelId=${iModelId}&`, 2);
      const missing = await call(h, 'GET', '/synchronization/imodels/connections');
      assert.equal(missing.statusCode, 422);
      assert.equal(missing.json().error.code, 'InvalidConnectionRequest');
      assert.deepEqual(missing.json().error.details, [{ code: 'MissingRequiredProperty', message: 'imodelId was not provided.', target: 'imodelId' }]);
    });
  });

  describe('PUT /storageconnections/{id}', () => {
    it('updates only the fields sent; iModel and iTwin never change', async () => {
      const { connection, iModelId, itwin } = await connectionFixture(h);
      const renamed = await call(h, 'PUT', `${SC}/${connection.id}`, { body: { displayName: 'New Connection Name' } });
      assert.equal(renamed.statusCode, 200);
      assert.equal(renamed.json().connection.displayName, 'New Connection Name');
      assert.equal(renamed.json().connection.authenticationType, 'User');
      const service = await call(h, 'PUT', `${SC}/${connection.id}`, {
        body: { authenticationType: 'service', iModelId: '7dbd531d-6967-47b2-8945-a722a437ad7a', iTwinId: 'x' },
      });
      assert.equal(service.statusCode, 200);
      assert.deepEqual(
        { ...service.json().connection, _links: undefined },
        { id: connection.id, displayName: 'New Connection Name', iModelId, iTwinId: itwin.id, authenticationType: 'Service', _links: undefined },
      );
      const read = await call(h, 'GET', `${SC}/${connection.id}`);
      assert.equal(read.json().connection.displayName, 'New Connection Name');
      assert.equal(read.json().connection.authenticationType, 'Service');
    });

    it('an empty, missing, malformed or invalid body is a 422 and changes nothing', async () => {
      const { connection } = await connectionFixture(h);
      const cases: Array<[unknown, string, string]> = [
        [{}, 'InvalidStorageConnectionRequest', 'MissingRequiredProperty'],
        ['{"displayName":', 'InvalidStorageConnectionRequest', 'InvalidRequestBody'],
        [{ authenticationType: 'Robot' }, 'InvalidStorageConnectionRequest', 'InvalidValue'],
        [{ displayName: 12 }, 'InvalidStorageConnectionRequest', 'InvalidValue'],
        [[1], 'InvalidStorageConnectionRequest', 'InvalidRequestBody'],
      ];
      for (const [body, code, detail] of cases) {
        const res = await call(h, 'PUT', `${SC}/${connection.id}`, { body });
        assert.equal(res.statusCode, 422, JSON.stringify(body));
        assert.equal(res.json().error.code, code);
        assert.equal(res.json().error.details[0].code, detail);
      }
      const none = await h.app.inject({ method: 'PUT', url: `${SC}/${connection.id}`, headers: { authorization: `Bearer ${await h.token()}` } });
      assert.equal(none.statusCode, 422);
      assert.equal(none.json().error.code, 'MissingRequestBody');
      assert.equal((await call(h, 'GET', `${SC}/${connection.id}`)).json().connection.displayName, 'fixture');
    });

    it("404 for an unknown connection, 403 for another iTwin's, 401 with read scope only", async () => {
      assert.equal((await call(h, 'PUT', `${SC}/${UNKNOWN_ID}`, { body: { displayName: 'x' } })).statusCode, 404);
      const { connection } = await connectionFixture(h);
      assert.equal((await call(h, 'PUT', `${SC}/${connection.id}`, { body: { displayName: 'x' }, subject: 'bob' })).statusCode, 403);
      assert.equal((await call(h, 'PUT', `${SC}/${connection.id}`, { body: { displayName: 'x' }, scopes: ['synchronization:read'] })).statusCode, 401);
    });
  });

  describe('DELETE /storageconnections/{id}', () => {
    it('204 without body or Content-Type; its source files go and their storage files can be mapped again', async () => {
      const { connection, iModelId, fileIds } = await connectionFixture(h);
      const res = await call(h, 'DELETE', `${SC}/${connection.id}`, { headers: { 'content-type': 'application/json' } });
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
      assert.equal(res.headers['content-type'], undefined);
      assert.equal((await call(h, 'GET', `${SC}/${connection.id}`)).statusCode, 404);
      const left = await h.store.db.selectFrom('source_files').select('id').where('connection_id', '=', connection.id).execute();
      assert.deepEqual(left, []);
      assert.equal((await postCreate(h, createBody(iModelId, [fileIds[0]!]))).statusCode, 201);
      assert.equal((await call(h, 'DELETE', `${SC}/${connection.id}`)).statusCode, 404);
    });

    it("403 for another iTwin's connection, which stays", async () => {
      const { connection } = await connectionFixture(h);
      assert.equal((await call(h, 'DELETE', `${SC}/${connection.id}`, { subject: 'bob' })).statusCode, 403);
      assert.equal((await call(h, 'GET', `${SC}/${connection.id}`)).statusCode, 200);
    });
  });
});
