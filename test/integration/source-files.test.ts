import assert from 'node:assert/strict';
import { it } from 'node:test';
import { call, connectionFixture, SC } from '../helpers/api.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { completedFile, newIModel, newITwin } from '../helpers/platform.js';
import { createBody, postCreate } from '../helpers/requests.js';
import { assertContinues } from '../helpers/paging.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MISSING = 'A property required to create or update a connection is missing.';

onEveryStore('storage connection source files', ({ h, client }) => {
  const alice = client('alice');
  it('add → 201 {sourceFile} with a UUID v4 id, the file name and a link to the storage file', async () => {
    const { connection, fileIds } = await connectionFixture(h);
    const res = await call(h, 'POST', `${SC}/${connection.id}/sourcefiles`, { body: { storageFileId: fileIds[1], connectorType: 'dwg' } });
    assert.equal(res.statusCode, 201);
    const { sourceFile } = res.json();
    assert.match(sourceFile.id, UUID_V4);
    assert.deepEqual(sourceFile, {
      id: sourceFile.id,
      storageFileId: fileIds[1],
      connectorType: 'DWG',
      lastKnownFileName: 'file-1.dgn',
      _links: { file: { href: `${PUBLIC_URL}/storage/files/${fileIds[1]}` } },
    });
    assert.equal(res.headers.location, `${PUBLIC_URL}${SC}/${connection.id}/sourcefiles/${sourceFile.id}`);
    const read = await call(h, 'GET', `${SC}/${connection.id}/sourcefiles/${sourceFile.id}`);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json().sourceFile, sourceFile);
  });

  it('add: 409 when the file is mapped in the iModel (this or another connection)', async () => {
    const { connection, iModelId, fileIds } = await connectionFixture(h);
    const same = await call(h, 'POST', `${SC}/${connection.id}/sourceFiles`, { body: { storageFileId: fileIds[0], connectorType: 'MSTN' } });
    assert.equal(same.statusCode, 409);
    assert.equal(same.json().error.code, 'FileMappingToTheIModelAlreadyExists');
    const other = await postCreate(h, createBody(iModelId, [fileIds[1]!]));
    assert.equal(other.statusCode, 201);
    assert.equal((await call(h, 'POST', `${SC}/${connection.id}/sourcefiles`, { body: { storageFileId: fileIds[1], connectorType: 'MSTN' } })).statusCode, 409);
  });

  it('add: 422 InvalidStorageConnectionSourceFileRequest with details, MissingRequestBody without a body', async () => {
    const { connection, itwin } = await connectionFixture(h);
    const url = `${SC}/${connection.id}/sourcefiles`;
    const missing = await call(h, 'POST', url, { body: {} });
    assert.equal(missing.statusCode, 422);
    assert.equal(missing.json().error.code, 'InvalidStorageConnectionSourceFileRequest');
    assert.deepEqual(missing.json().error.details, [
      { code: 'MissingRequiredProperty', message: MISSING, target: 'storageFileId' },
      { code: 'MissingRequiredProperty', message: MISSING, target: 'connectorType' },
    ]);
    const unknown = await call(h, 'POST', url, { body: { storageFileId: 't5bDFuN4qUa9ojVw1E5FGtldp8BgSbNCiJ2XMdiT-cA', connectorType: 'XYZ' } });
    assert.deepEqual(
      unknown.json().error.details.map((d: { target: string }) => d.target),
      ['connectorType'],
    );
    const invisible = await call(h, 'POST', url, { body: { storageFileId: 't5bDFuN4qUa9ojVw1E5FGtldp8BgSbNCiJ2XMdiT-cA', connectorType: 'IFC' } });
    assert.deepEqual(invisible.json().error.details, [
      { code: 'InvalidValue', message: 'Provided storageFileId value is not valid.', target: 'storageFileId' },
    ]);
    const elsewhere = await h.file(await h.itwin(), 'elsewhere.ifc');
    assert.equal((await call(h, 'POST', url, { body: { storageFileId: elsewhere, connectorType: 'IFC' } })).statusCode, 422);
    assert.equal((await call(h, 'POST', url, { body: '{"storageFileId"' })).json().error.details[0].code, 'InvalidRequestBody');
    const none = await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${await h.token()}` } });
    assert.equal(none.json().error.code, 'MissingRequestBody');
    void itwin;
  });

  it("add: 404 for an unknown connection, 403 for another iTwin's", async () => {
    const { connection, fileIds } = await connectionFixture(h);
    const body = { storageFileId: fileIds[1], connectorType: 'IFC' };
    const missing = await call(h, 'POST', `${SC}/MWplZe9Uf0iR1IDMqyOMLqBN0_wHEVBGg_CzJmXdmE4/sourcefiles`, { body });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'StorageConnectionNotFound');
    assert.equal((await call(h, 'POST', `${SC}/${connection.id}/sourcefiles`, { body, subject: 'bob' })).statusCode, 403);
  });

  it('get: 404 StorageConnectionSourceFileNotFound, 422 for a malformed id', async () => {
    const { connection } = await connectionFixture(h);
    const missing = await call(h, 'GET', `${SC}/${connection.id}/sourcefiles/297c8ab9-53a3-4fe5-adf8-79b4c1a95cbb`);
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), {
      error: { code: 'StorageConnectionSourceFileNotFound', message: 'Requested StorageConnectionSourceFile is not available.' },
    });
    const malformed = await call(h, 'GET', `${SC}/${connection.id}/sourcefiles/123`);
    assert.equal(malformed.statusCode, 422);
    assert.equal(malformed.json().error.code, 'InvalidStorageConnectionSourceFileRequest');
  });

  it('list: minimal by default, representation adds connectorType, oldest first, paged', async () => {
    const { connection, fileIds } = await connectionFixture(h, 4);
    for (const id of fileIds.slice(1)) await call(h, 'POST', `${SC}/${connection.id}/sourcefiles`, { body: { storageFileId: id, connectorType: 'MSTN' } });
    const minimal = await call(h, 'GET', `${SC}/${connection.id}/sourcefiles`);
    assert.equal(minimal.statusCode, 200);
    const items = minimal.json().sourceFiles;
    assert.deepEqual(
      items.map((f: { storageFileId: string }) => f.storageFileId),
      fileIds,
    );
    assert.deepEqual(Object.keys(items[0]).sort(), ['_links', 'id', 'lastKnownFileName', 'storageFileId']);
    const full = await call(h, 'GET', `${SC}/${connection.id}/sourceFiles`, { headers: { prefer: 'return=representation' } });
    assert.deepEqual(
      full.json().sourceFiles.map((f: { connectorType: string }) => f.connectorType),
      ['IFC', 'MSTN', 'MSTN', 'MSTN'],
    );
    const page = await call(h, 'GET', `${SC}/${connection.id}/sourcefiles?$top=2&$skip=1`);
    assert.deepEqual(
      page.json().sourceFiles.map((f: { storageFileId: string }) => f.storageFileId),
      fileIds.slice(1, 3),
    );
    assertContinues(page.json()._links.next.href, `${PUBLIC_URL}${SC}/${connection.id}/sourcefiles?`, 2);
    const next = await call(h, 'GET', page.json()._links.next.href.slice(PUBLIC_URL.length));
    assert.deepEqual(
      next.json().sourceFiles.map((f: { storageFileId: string }) => f.storageFileId),
      fileIds.slice(3),
    );
    assert.equal(page.json()._links.prev.href, `${PUBLIC_URL}${SC}/${connection.id}/sourcefiles?$skip=0&$top=2`);
    const bad = await call(h, 'GET', `${SC}/${connection.id}/sourcefiles?$top=0`);
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.code, 'InvalidStorageConnectionSourceFileRequest');
  });

  it('update: both fields required; 200 with the new values; 409 onto a mapped file', async () => {
    const { connection, fileIds } = await connectionFixture(h, 3);
    const added = (await call(h, 'POST', `${SC}/${connection.id}/sourcefiles`, { body: { storageFileId: fileIds[1], connectorType: 'IFC' } })).json()
      .sourceFile;
    const url = `${SC}/${connection.id}/sourcefiles/${added.id}`;
    const half = await call(h, 'PUT', url, { body: { connectorType: 'DWG' } });
    assert.equal(half.statusCode, 422);
    assert.deepEqual(half.json().error.details, [{ code: 'MissingRequiredProperty', message: MISSING, target: 'storageFileId' }]);
    const ok = await call(h, 'PUT', url, { body: { storageFileId: fileIds[2], connectorType: 'DWG' } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().sourceFile.storageFileId, fileIds[2]);
    assert.equal(ok.json().sourceFile.connectorType, 'DWG');
    assert.equal(ok.json().sourceFile.lastKnownFileName, 'file-2.dgn');
    assert.equal((await call(h, 'PUT', url, { body: { storageFileId: fileIds[0], connectorType: 'DWG' } })).statusCode, 409);
    assert.equal((await call(h, 'PUT', url, { body: { storageFileId: fileIds[2], connectorType: 'IFC' } })).statusCode, 200, 'same file, new connector');
    assert.equal(
      (
        await call(h, 'PUT', `${SC}/${connection.id}/sourcefiles/297c8ab9-53a3-4fe5-adf8-79b4c1a95cbb`, {
          body: { storageFileId: fileIds[1], connectorType: 'IFC' },
        })
      ).statusCode,
      404,
    );
  });

  it('remove: 204 without body or Content-Type; the file can then be added again', async () => {
    const { connection, fileIds } = await connectionFixture(h);
    const list = (await call(h, 'GET', `${SC}/${connection.id}/sourcefiles`)).json().sourceFiles;
    const url = `${SC}/${connection.id}/sourcefiles/${list[0].id}`;
    const res = await call(h, 'DELETE', url);
    assert.equal(res.statusCode, 204);
    assert.equal(res.body, '');
    assert.equal(res.headers['content-type'], undefined);
    assert.equal((await call(h, 'GET', url)).statusCode, 404);
    assert.equal((await call(h, 'DELETE', url)).statusCode, 404);
    assert.equal((await call(h, 'POST', `${SC}/${connection.id}/sourcefiles`, { body: { storageFileId: fileIds[0], connectorType: 'IFC' } })).statusCode, 201);
  });

  it("another iTwin's source files are 403 for every operation", async () => {
    const { connection, fileIds } = await connectionFixture(h);
    const id = (await call(h, 'GET', `${SC}/${connection.id}/sourcefiles`)).json().sourceFiles[0].id;
    const base = `${SC}/${connection.id}/sourcefiles`;
    for (const [method, url, body] of [
      ['GET', base],
      ['GET', `${base}/${id}`],
      ['PUT', `${base}/${id}`, { storageFileId: fileIds[0], connectorType: 'IFC' }],
      ['DELETE', `${base}/${id}`],
    ] as const) {
      assert.equal((await call(h, method, url, { body, subject: 'bob' })).statusCode, 403, `${method} ${url}`);
    }
  });

  it('lastKnownFileName: the current name while the storage file exists, the last one after it is deleted (alone or with its folder)', async () => {
    const itwin = await newITwin(alice);
    const iModelId = await newIModel(alice, itwin.id);
    const plain = await completedFile(h, alice, itwin.rootFolderId, 'plain.ifc');
    const folder = (await alice.post(`/storage/folders/${itwin.rootFolderId}/folders`, { displayName: 'Plans' })).json().folder.id;
    const nested = await completedFile(h, alice, folder, 'nested.ifc');
    const created = await alice.post(SC, {
      iModelId,
      sourceFiles: [
        { storageFileId: plain, connectorType: 'IFC' },
        { storageFileId: nested, connectorType: 'IFC' },
      ],
    });
    assert.equal(created.status, 201);
    const url = `${SC}/${created.json().connection.id}/sourcefiles`;
    const names = async () => (await alice.get(url)).json().sourceFiles.map((f: { lastKnownFileName: string }) => f.lastKnownFileName);
    assert.deepEqual(await names(), ['plain.ifc', 'nested.ifc']);
    assert.equal((await alice.patch(`/storage/files/${plain}`, { displayName: 'renamed.ifc' })).status, 200);
    assert.deepEqual(await names(), ['renamed.ifc', 'nested.ifc']);

    assert.equal((await alice.delete(`/storage/files/${plain}`)).status, 204);
    assert.equal((await alice.delete(`/storage/folders/${folder}`)).status, 204);
    assert.equal((await alice.get(`/storage/files/${nested}`)).status, 404);
    assert.deepEqual(await names(), ['renamed.ifc', 'nested.ifc']);
    const first = (await alice.get(url)).json().sourceFiles[0];
    assert.equal((await alice.get(`${url}/${first.id}`)).json().sourceFile.lastKnownFileName, 'renamed.ifc');

    // Pointed at another file, a source file shows that file's name, and keeps it once it is deleted.
    const other = await completedFile(h, alice, itwin.rootFolderId, 'other.ifc');
    const updated = await alice.request('PUT', `${url}/${first.id}`, { storageFileId: other, connectorType: 'IFC' });
    assert.equal(updated.status, 200);
    assert.equal(updated.json().sourceFile.lastKnownFileName, 'other.ifc');
    assert.equal((await alice.delete(`/storage/files/${other}`)).status, 204);
    assert.deepEqual(await names(), ['other.ifc', 'nested.ifc']);
  });
});
