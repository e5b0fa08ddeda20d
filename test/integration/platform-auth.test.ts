import assert from 'node:assert/strict';
import { it } from 'node:test';
import { operations, type Operation } from '../../src/http/operations.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { clientFor, createFile, newITwin } from '../helpers/platform.js';

const ID = '00000000-0000-4000-8000-000000000000';

/** The platform operations and the API-specific scope pair each takes (besides itwin-platform). */
const platform: Array<[Operation, string]> = [
  [operations.createITwin, 'itwins:modify'],
  [operations.getITwin, 'itwins:read'],
  [operations.getMyITwins, 'itwins:read'],
  [operations.deleteITwin, 'itwins:modify'],
  [operations.addITwinMembers, 'itwins:modify'],
  [operations.getITwinMembers, 'itwins:read'],
  [operations.getITwinMember, 'itwins:read'],
  [operations.removeITwinMember, 'itwins:modify'],
  [operations.createIModel, 'imodels:modify'],
  [operations.getIModel, 'imodels:read'],
  [operations.getIModels, 'imodels:read'],
  [operations.deleteIModel, 'imodels:modify'],
  [operations.getTopLevelItems, 'storage:read'],
  [operations.createFolder, 'storage:modify'],
  [operations.getFolder, 'storage:read'],
  [operations.getFolderItems, 'storage:read'],
  [operations.getFilesInFolder, 'storage:read'],
  [operations.getFoldersInFolder, 'storage:read'],
  [operations.deleteFolder, 'storage:modify'],
  [operations.createFile, 'storage:modify'],
  [operations.completeFileCreation, 'storage:modify'],
  [operations.updateFileContent, 'storage:modify'],
  [operations.getFile, 'storage:read'],
  [operations.updateFile, 'storage:modify'],
  [operations.deleteFile, 'storage:modify'],
];

const urlOf = (operation: Operation) =>
  operation.url.replace(/:(\w+)/g, (_, name: string) => (/folder|file/i.test(name) ? 'TYJsPN0xtkWId0yUrXkS5pN5AQzuullIkxz5aDnDJSI' : ID));

onEveryStore('platform operations: authentication and scopes', ({ h }) => {
  it('every platform operation but the upload needs a bearer token (401 HeaderNotFound)', async () => {
    for (const [operation] of platform) {
      const res = await h.app.inject({ method: operation.method, url: urlOf(operation) });
      assert.equal(res.statusCode, 401, operation.id);
      assert.equal(res.json().error.code, 'HeaderNotFound', operation.id);
    }
  });

  it('every platform operation takes its own API scope, not the Synchronization API’s', async () => {
    const syncOnly = await h.token('alice', ['synchronization:read', 'synchronization:modify']);
    for (const [operation, scope] of platform) {
      const refused = await h.app.inject({ method: operation.method, url: urlOf(operation), headers: { authorization: `Bearer ${syncOnly}` } });
      assert.equal(refused.statusCode, 401, operation.id);
      assert.equal(refused.json().error.code, 'RequiredScopeMissing', operation.id);
      assert.ok(operation.scopes?.includes(scope) && operation.scopes.includes('itwin-platform'), operation.id);
      const own = await h.token('alice', [scope]);
      const allowed = await h.app.inject({ method: operation.method, url: urlOf(operation), headers: { authorization: `Bearer ${own}` } });
      assert.notEqual(allowed.statusCode, 401, `${operation.id}: ${allowed.body}`);
    }
  });

  it('reads with a read scope, and only writes with a modify scope', async () => {
    const alice = await clientFor(h, 'alice');
    const itwin = await newITwin(alice);
    const reader = await clientFor(h, 'alice', ['itwins:read', 'imodels:read', 'storage:read']);
    assert.equal((await reader.get(`/itwins/${itwin.id}`)).status, 200);
    assert.equal((await reader.get(`/storage/folders/${itwin.rootFolderId}/list`)).status, 200);
    assert.equal((await reader.post('/imodels', { iTwinId: itwin.id, name: 'x' })).status, 401);
    assert.equal((await reader.post(`/storage/folders/${itwin.rootFolderId}/files`, { displayName: 'x.ifc' })).status, 401);
  });

  it('lets a browser upload: CORS preflight of the upload URL allows PUT and x-ms-blob-type', async () => {
    const alice = await clientFor(h, 'alice');
    const itwin = await newITwin(alice);
    const file = await createFile(alice, itwin.rootFolderId);
    const res = await h.app.inject({
      method: 'OPTIONS',
      url: new URL(file.links.uploadUrl).pathname,
      headers: { origin: 'http://localhost:8080', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-ms-blob-type' },
    });
    assert.equal(res.statusCode, 204);
    assert.match(String(res.headers['access-control-allow-methods']), /PUT/);
    assert.match(String(res.headers['access-control-allow-headers']), /x-ms-blob-type/i);
  });
});
