import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { call, SC } from '../helpers/api.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { MC, manifestConnection } from '../helpers/manifests.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { assertContinues } from '../helpers/paging.js';
import { runnableConnection } from '../helpers/runs.js';

const ID = 't5bDFuN4qUa9ojVw1E5FGtldp8BgSbNCiJ2XMdiT-cA';
let n = 0;
const sfid = () => `doc-${++n}-${Date.now()}`;

onEveryStore('manifest connections', ({ h }) => {
  describe('create, get, update, delete', () => {
    it('201 with the connection (iTwin, links, Location), 200 on GET in any path case, partial PUT, 204 DELETE then 404', async () => {
      const itwin = await h.itwin();
      const iModelId = await h.imodel(itwin);
      const res = await call(h, 'POST', MC, { body: { iModelId, displayName: '30', sourceFiles: [{ sourceFileId: ID }] } });
      assert.equal(res.statusCode, 201, res.body);
      const connection = res.json().connection;
      assert.deepEqual(Object.keys(connection), ['id', 'displayName', 'iModelId', 'iTwinId', 'authenticationType', '_links']);
      assert.equal(connection.iTwinId, itwin.id);
      assert.equal(connection.authenticationType, 'User', 'the documented default');
      assert.equal(connection._links.iModel.href, `${PUBLIC_URL}/imodels/${iModelId}`);
      assert.equal(res.headers.location, `${PUBLIC_URL}${MC}/${connection.id}`);

      for (const path of [MC, '/synchronization/imodels/manifestConnections', '/Synchronization/iModels/ManifestConnections']) {
        const got = await call(h, 'GET', `${path}/${connection.id}`);
        assert.equal(got.statusCode, 200, path);
        assert.deepEqual(got.json().connection, connection);
      }
      const updated = await call(h, 'PUT', `${MC}/${connection.id}`, { body: { authenticationType: 'service' } });
      assert.equal(updated.statusCode, 200, updated.body);
      assert.equal(updated.json().connection.authenticationType, 'Service');
      assert.equal(updated.json().connection.displayName, '30', 'only what was sent changes');

      const deleted = await call(h, 'DELETE', `${MC}/${connection.id}`);
      assert.equal(deleted.statusCode, 204);
      assert.equal(deleted.body, '');
      const gone = await call(h, 'GET', `${MC}/${connection.id}`);
      assert.equal(gone.statusCode, 404);
      assert.deepEqual(gone.json(), { error: { code: 'ManifestConnectionNotFound', message: 'Requested ManifestConnection is not available.' } });
      // Its source file ids may be registered again.
      assert.equal((await call(h, 'POST', MC, { body: { iModelId, sourceFiles: [{ sourceFileId: ID }] } })).statusCode, 201);
    });

    it('422 lists every problem of a create; no body is MissingRequestBody; nothing is written', async () => {
      const bad = await call(h, 'POST', MC, {
        body: { iModelId: 'nope', displayName: 5, authenticationType: 'Robot', sourceFiles: [{ sourceFileId: 'has space' }, {}] },
      });
      assert.equal(bad.statusCode, 422);
      const error = bad.json().error;
      assert.equal(error.code, 'InvalidManifestConnectionRequest');
      assert.deepEqual(error.details.map((d: { target: string }) => d.target).sort(), [
        'authenticationType',
        'displayName',
        'imodelId',
        'sourceFileId',
        'sourceFileId',
      ]);
      const none = await h.app.inject({ method: 'POST', url: MC, headers: { authorization: `Bearer ${await h.token()}` } });
      assert.equal(none.statusCode, 422);
      assert.equal(none.json().error.code, 'MissingRequestBody');
      const malformed = await call(h, 'POST', MC, { body: '{"iModelId":' });
      assert.equal(malformed.statusCode, 422);
      assert.equal(malformed.json().error.details[0].code, 'InvalidRequestBody');
      const unseen = await call(h, 'POST', MC, { body: { iModelId: crypto.randomUUID(), sourceFiles: [{ sourceFileId: ID }] } });
      assert.equal(unseen.statusCode, 422);
      assert.deepEqual(unseen.json().error.details, [{ code: 'InvalidValue', message: 'Provided imodelId value is not valid.', target: 'imodelId' }]);
      const duplicate = await call(h, 'POST', MC, {
        body: { iModelId: await h.imodel(await h.itwin()), sourceFiles: [{ sourceFileId: 'x' }, { sourceFileId: 'x' }] },
      });
      assert.equal(duplicate.statusCode, 422);
    });

    it('409 when a source file id is registered in the iModel already (by any manifest connection)', async () => {
      const first = await manifestConnection(h, ['shared-1']);
      const again = await call(h, 'POST', MC, { body: { iModelId: first.iModelId, sourceFiles: [{ sourceFileId: 'shared-1' }] } });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().error.code, 'FileMappingToTheIModelAlreadyExists');
      const list = await call(h, 'GET', `${MC}?imodelId=${first.iModelId}`);
      assert.equal(list.json().connections.length, 1, 'nothing of the refused create was written');
    });

    it('a manifest connection is not a storage connection, nor the reverse: 404 each way; the generic list holds both', async () => {
      const storage = await runnableConnection(h, ['a.ifc']);
      const manifest = await call(h, 'POST', MC, { body: { iModelId: storage.iModelId, displayName: 'm', sourceFiles: [{ sourceFileId: sfid() }] } });
      assert.equal(manifest.statusCode, 201);
      const manifestId = manifest.json().connection.id;
      assert.equal((await call(h, 'GET', `${SC}/${manifestId}`)).json().error.code, 'StorageConnectionNotFound');
      assert.equal((await call(h, 'GET', `${MC}/${storage.connectionId}`)).json().error.code, 'ManifestConnectionNotFound');
      assert.equal((await call(h, 'PUT', `${SC}/${manifestId}`, { body: { displayName: 'x' } })).statusCode, 404);
      assert.equal((await call(h, 'DELETE', `${MC}/${storage.connectionId}`)).statusCode, 404);
      assert.equal((await call(h, 'POST', `${SC}/${manifestId}/run`)).statusCode, 404);
      assert.equal((await call(h, 'GET', `${MC}/${storage.connectionId}/runs`)).statusCode, 404);
      const generic = (await call(h, 'GET', `/synchronization/imodels/connections?imodelId=${storage.iModelId}`)).json().connections;
      assert.deepEqual(
        generic.map((c: { id: string }) => c.id),
        [storage.connectionId, manifestId],
      );
      const storageOnly = (await call(h, 'GET', `${SC}?imodelId=${storage.iModelId}`)).json().connections;
      assert.deepEqual(
        storageOnly.map((c: { id: string }) => c.id),
        [storage.connectionId],
      );
      const manifestOnly = (await call(h, 'GET', `${MC}?imodelId=${storage.iModelId}`)).json().connections;
      assert.deepEqual(manifestOnly, [{ id: manifestId, displayName: 'm' }]);
      // A connection configuration applies to either kind.
      const configured = await call(h, 'POST', `/synchronization/configurations/connections/${manifestId}`, { body: { enableSheetsAndDrawings: true } });
      assert.equal(configured.statusCode, 201, configured.body);
    });
  });

  describe('who may do what', () => {
    let a: { connectionId: string; iModelId: string };
    let sourceFile: string;
    before(async () => {
      a = await manifestConnection(h, [sfid()]);
      sourceFile = (await call(h, 'GET', `${MC}/${a.connectionId}/sourcefiles`)).json().sourceFiles[0].id;
    });

    it("403 to a non-member for every operation on another's connection; 404 for unknown ids; 422 for malformed ones", async () => {
      const ops: [string, string, unknown?][] = [
        ['GET', `${MC}/${a.connectionId}`],
        ['GET', `${MC}?imodelId=${a.iModelId}`],
        ['PUT', `${MC}/${a.connectionId}`, { displayName: 'x' }],
        ['DELETE', `${MC}/${a.connectionId}`],
        ['POST', `${MC}/${a.connectionId}/sourcefiles`, { sourceFileId: 'bob' }],
        ['GET', `${MC}/${a.connectionId}/sourcefiles`],
        ['GET', `${MC}/${a.connectionId}/sourcefiles/${sourceFile}`],
        ['PUT', `${MC}/${a.connectionId}/sourcefiles/${sourceFile}`, { sourceFileId: 'bob' }],
        ['DELETE', `${MC}/${a.connectionId}/sourcefiles/${sourceFile}`],
        ['POST', `${MC}/${a.connectionId}/runs`, { sourceFiles: [{ id: 'x', name: 'x.ifc', url: 'https://example.com/x', connectorType: 'IFC' }] }],
        ['GET', `${MC}/${a.connectionId}/runs`],
        ['GET', `${MC}/${a.connectionId}/runs/${crypto.randomUUID()}`],
      ];
      for (const [method, url, body] of ops) {
        const res = await call(h, method as 'GET', url, { subject: 'mallory', body });
        assert.equal(res.statusCode, 403, `${method} ${url}: ${res.body}`);
        assert.equal(res.json().error.code, 'InsufficientPermissions');
      }
      const unknown = 'A'.repeat(43);
      assert.equal((await call(h, 'GET', `${MC}/${unknown}`)).statusCode, 404);
      assert.equal((await call(h, 'GET', `${MC}/${unknown}/sourcefiles`)).json().error.code, 'ManifestConnectionNotFound');
      assert.equal(
        (await call(h, 'GET', `${MC}/${a.connectionId}/sourcefiles/${crypto.randomUUID()}`)).json().error.code,
        'ManifestConnectionSourceFileNotFound',
      );
      assert.equal((await call(h, 'GET', `${MC}/${a.connectionId}/runs/${crypto.randomUUID()}`)).json().error.code, 'ManifestConnectionRunNotFound');
      const bad = await call(h, 'GET', `${MC}/not-an-id`);
      assert.equal(bad.statusCode, 422);
      assert.equal(bad.json().error.code, 'InvalidManifestConnectionRequest');
      assert.equal((await call(h, 'GET', `${MC}/not-an-id/sourcefiles`)).json().error.code, 'InvalidManifestConnectionSourceFileRequest');
      assert.equal((await call(h, 'GET', `${MC}/${a.connectionId}/sourcefiles/nope`)).statusCode, 422);
      assert.equal((await call(h, 'GET', `${MC}/${a.connectionId}/runs/nope`)).statusCode, 422);
    });

    it('reads need a read scope, writes a modify scope', async () => {
      const read = ['synchronization:read'];
      assert.equal((await call(h, 'GET', `${MC}/${a.connectionId}`, { scopes: read })).statusCode, 200);
      assert.equal((await call(h, 'GET', `${MC}/${a.connectionId}/runs`, { scopes: read })).statusCode, 200);
      const denied = await call(h, 'PUT', `${MC}/${a.connectionId}`, { scopes: read, body: { displayName: 'x' } });
      assert.equal(denied.statusCode, 401);
      assert.equal(denied.json().error.code, 'RequiredScopeMissing');
      assert.equal((await call(h, 'POST', `${MC}/${a.connectionId}/sourcefiles`, { scopes: read, body: { sourceFileId: 'y' } })).statusCode, 401);
      assert.equal((await call(h, 'GET', `${MC}/${a.connectionId}`, { scopes: ['synchronization:modify'] })).statusCode, 401);
      assert.equal((await call(h, 'PUT', `${MC}/${a.connectionId}`, { scopes: ['synchronization:modify'], body: { displayName: 'ok' } })).statusCode, 200);
    });
  });

  describe('source files', () => {
    it('add (201, Location), get, update, remove (204, then 404); 409 for an id registered in the iModel; 422s', async () => {
      const [one, two] = [sfid(), sfid()];
      const c = await manifestConnection(h, [one]);
      const added = await call(h, 'POST', `${MC}/${c.connectionId}/sourcefiles`, { body: { sourceFileId: two } });
      assert.equal(added.statusCode, 201, added.body);
      const file = added.json().sourceFile;
      assert.deepEqual(Object.keys(file), ['id', 'sourceFileId']);
      assert.equal(file.sourceFileId, two);
      assert.equal(added.headers.location, `${PUBLIC_URL}${MC}/${c.connectionId}/sourcefiles/${file.id}`);
      assert.deepEqual((await call(h, 'GET', `${MC}/${c.connectionId}/sourcefiles/${file.id}`)).json(), { sourceFile: file });
      const taken = await call(h, 'POST', `${MC}/${c.connectionId}/sourcefiles`, { body: { sourceFileId: one } });
      assert.equal(taken.statusCode, 409);
      assert.deepEqual(taken.json().error, { code: 'FileMappingToTheIModelAlreadyExists', message: 'The SourceFile is already mapped to the iModel.' });
      assert.equal((await call(h, 'PUT', `${MC}/${c.connectionId}/sourcefiles/${file.id}`, { body: { sourceFileId: one } })).statusCode, 409);
      const renamed = await call(h, 'PUT', `${MC}/${c.connectionId}/sourcefiles/${file.id}`, { body: { sourceFileId: 'renamed.1' } });
      assert.equal(renamed.statusCode, 200, renamed.body);
      assert.deepEqual(renamed.json().sourceFile, { id: file.id, sourceFileId: 'renamed.1' });
      for (const body of [{}, { sourceFileId: 5 }, { sourceFileId: 'a/b' }, { sourceFileId: 'x'.repeat(129) }]) {
        const res = await call(h, 'POST', `${MC}/${c.connectionId}/sourcefiles`, { body });
        assert.equal(res.statusCode, 422, JSON.stringify(body));
        assert.equal(res.json().error.code, 'InvalidManifestConnectionSourceFileRequest');
        assert.equal(res.json().error.details[0].target, 'sourceFileId');
      }
      const none = await h.app.inject({ method: 'POST', url: `${MC}/${c.connectionId}/sourcefiles`, headers: { authorization: `Bearer ${await h.token()}` } });
      assert.equal(none.json().error.code, 'MissingRequestBody');
      assert.equal((await call(h, 'DELETE', `${MC}/${c.connectionId}/sourcefiles/${file.id}`)).statusCode, 204);
      assert.equal((await call(h, 'DELETE', `${MC}/${c.connectionId}/sourcefiles/${file.id}`)).statusCode, 404);
      assert.equal((await call(h, 'POST', `${MC}/${c.connectionId}/sourcefiles`, { body: { sourceFileId: 'renamed.1' } })).statusCode, 201, 'free again');
    });

    it('lists page with $top/$skip and continue by _links.next; connections too', async () => {
      const ids = Array.from({ length: 5 }, sfid);
      const c = await manifestConnection(h, ids);
      const base = `${PUBLIC_URL}${MC}/${c.connectionId}/sourcefiles?`;
      const first = (await call(h, 'GET', `${MC}/${c.connectionId}/sourcefiles?$top=2`)).json();
      assert.deepEqual(
        first.sourceFiles.map((f: { sourceFileId: string }) => f.sourceFileId),
        ids.slice(0, 2),
      );
      assertContinues(first._links.next.href, base, 2);
      const second = (await call(h, 'GET', new URL(first._links.next.href).pathname + new URL(first._links.next.href).search)).json();
      assert.deepEqual(
        second.sourceFiles.map((f: { sourceFileId: string }) => f.sourceFileId),
        ids.slice(2, 4),
      );
      const skipped = (await call(h, 'GET', `${MC}/${c.connectionId}/sourcefiles?$skip=4`)).json();
      assert.deepEqual(
        skipped.sourceFiles.map((f: { sourceFileId: string }) => f.sourceFileId),
        ids.slice(4),
      );
      assert.equal(skipped._links.next, undefined);
      assert.equal((await call(h, 'GET', `${MC}/${c.connectionId}/sourcefiles?$top=0`)).statusCode, 422);

      for (let i = 0; i < 2; i++)
        await call(h, 'POST', MC, { body: { iModelId: c.iModelId, displayName: `more-${i}`, sourceFiles: [{ sourceFileId: sfid() }] } });
      const page = (await call(h, 'GET', `${MC}?imodelId=${c.iModelId}&$top=2`, { headers: { prefer: 'return=representation' } })).json();
      assert.equal(page.connections.length, 2);
      assert.equal(page.connections[0].iModelId, c.iModelId);
      assertContinues(page._links.next.href, `${PUBLIC_URL}${MC}?iModelId=${c.iModelId}&`, 2);
      const missing = await call(h, 'GET', MC);
      assert.equal(missing.statusCode, 422, 'imodelId is required');
      assert.equal(missing.json().error.code, 'InvalidManifestConnectionRequest');
    });
  });
});
