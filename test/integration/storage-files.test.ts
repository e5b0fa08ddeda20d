import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { createBody, postCreate } from '../helpers/requests.js';
import { completedFile, createFile, newIModel, newITwin, upload } from '../helpers/platform.js';

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

// Eight PUTs of one URL race below: more than the default uploads one user may stream at once (4).
onEveryStore('Storage files', { env: { UPLOADS_PER_CALLER: '8' } }, ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');

  const row = (id: string) => h.store.db.selectFrom('storage_files').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  describe('POST /storage/folders/{folderId}/files', () => {
    it('answers 202 with an absolute signed uploadUrl and completeUrl = {PUBLIC_URL}/storage/files/{id}/complete', async () => {
      const itwin = await newITwin(alice);
      const res = await alice.post(`/storage/folders/${itwin.rootFolderId}/files`, { displayName: 'bridge.ifc', description: 'the bridge' });
      assert.equal(res.status, 202);
      const { uploadUrl, completeUrl } = res.json()._links;
      const id = completeUrl.href.split('/')[5]; // itwin-cli
      assert.match(id, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(completeUrl.href, `${PUBLIC_URL}/storage/files/${id}/complete`);
      assert.equal(completeUrl.href.split('/').reverse()[1], id); // the sample app
      const upload = new URL(uploadUrl.href);
      assert.equal(upload.origin, PUBLIC_URL);
      assert.equal(upload.pathname.split('/')[3], id);
      assert.ok(upload.searchParams.get('signature') && upload.searchParams.get('expires'));
      assert.deepEqual(Object.keys(res.json()), ['_links']);
      // The file exists, empty and not yet usable.
      const file = (await alice.get(`/storage/files/${id}`)).json().file;
      assert.equal(file.size, 0);
      assert.equal(file.description, 'the bridge');
      assert.equal((await row(id)).content_version, 0);
    });

    it('refuses bad names with 422 InvalidCreateFileRequest: missing, invalid characters, too long, executables', async () => {
      const itwin = await newITwin(alice);
      for (const [body, code] of [
        [{}, 'MissingRequiredProperty'],
        [{ displayName: 'a:b.ifc' }, 'InvalidValue'],
        [{ displayName: 'x'.repeat(256) }, 'InvalidValue'],
        [{ displayName: 'setup.EXE' }, 'InvalidValue'],
        [{ displayName: 'ok.ifc', description: 5 }, 'InvalidValue'],
      ] as const) {
        const res = await alice.post(`/storage/folders/${itwin.rootFolderId}/files`, body);
        assert.equal(res.status, 422, JSON.stringify(body));
        assert.equal(res.json().error.code, 'InvalidCreateFileRequest');
        assert.equal(res.json().error.details[0].code, code);
      }
    });
  });

  describe('upload and complete', () => {
    it('makes the uploaded content version 1 of the file, with its size and SHA-256, and the file usable as a source file', async () => {
      const itwin = await newITwin(alice);
      const iModelId = await newIModel(alice, itwin.id);
      const file = await createFile(alice, itwin.rootFolderId, 'model.ifc');
      // Not usable before complete.
      assert.equal((await postCreate(h, createBody(iModelId, [file.id]), { token: alice.token })).statusCode, 422);

      const content = 'ISO-10303-21; the model';
      const put = await upload(h, file.links.uploadUrl, content);
      assert.equal(put.statusCode, 201);
      assert.equal(put.body, '');
      assert.equal(put.headers['content-type'], undefined);
      assert.equal(put.headers.etag, `"${sha256(content)}"`);
      assert.equal((await row(file.id)).content_version, 0, 'uploaded is not completed');
      assert.equal((await postCreate(h, createBody(iModelId, [file.id]), { token: alice.token })).statusCode, 422);

      const done = await alice.post(file.links.completeUrl);
      assert.equal(done.status, 200);
      const presented = done.json().file;
      assert.deepEqual(presented, {
        type: 'file',
        id: file.id,
        displayName: 'model.ifc',
        description: null,
        path: 'model.ifc',
        size: Buffer.byteLength(content),
        lastModifiedByDisplayName: 'alice',
        createdDateTime: presented.createdDateTime,
        lastModifiedDateTime: presented.lastModifiedDateTime,
        parentFolderId: itwin.rootFolderId,
        _links: {
          createdBy: { href: `${PUBLIC_URL}/accesscontrol/itwins/${itwin.id}/members/alice` },
          lastModifiedBy: { href: `${PUBLIC_URL}/accesscontrol/itwins/${itwin.id}/members/alice` },
          parentFolder: { href: `${PUBLIC_URL}/storage/folders/${itwin.rootFolderId}` },
        },
      });
      const stored = await row(file.id);
      assert.equal(stored.content_version, 1);
      assert.equal(stored.content_hash, sha256(content));
      assert.equal(fs.readFileSync(path.join(h.config.dataDir, 'blobs', file.id, '1'), 'utf8'), content);
      assert.deepEqual(
        fs.readdirSync(path.join(h.config.dataDir, 'uploads')).filter((n) => n.startsWith(file.id)),
        [],
        'staged file cleaned up',
      );
      assert.deepEqual((await alice.get(`/storage/files/${file.id}`)).json().file, presented);
      assert.equal((await postCreate(h, createBody(iModelId, [file.id]), { token: alice.token })).statusCode, 201);
    });

    it('accepts any Content-Type, even JSON, as content, and PUT with no x-ms-blob-type', async () => {
      const itwin = await newITwin(alice);
      const file = await createFile(alice, itwin.rootFolderId, 'data.json');
      const put = await upload(h, file.links.uploadUrl, '{"not": "a request"', { 'content-type': 'application/json' });
      assert.equal(put.statusCode, 201);
      assert.equal((await alice.post(file.links.completeUrl)).json().file.size, 19);
      const other = await createFile(alice, itwin.rootFolderId, 'empty.ifc');
      assert.equal((await upload(h, other.links.uploadUrl, '', {})).statusCode, 201, 'an empty file is a file');
      assert.equal((await alice.post(other.links.completeUrl)).json().file.size, 0);
      assert.equal((await row(other.id)).content_version, 1);
    });

    it('refuses x-ms-blob-type other than BlockBlob (400) and writes nothing', async () => {
      const itwin = await newITwin(alice);
      const file = await createFile(alice, itwin.rootFolderId);
      const put = await upload(h, file.links.uploadUrl, 'x', { 'x-ms-blob-type': 'AppendBlob' });
      assert.equal(put.statusCode, 400);
      assert.equal(put.json().error.code, 'InvalidHeaderValue');
      assert.equal((await alice.post(file.links.completeUrl)).status, 409);
    });

    it('answers complete without an upload with 409 FileNotUploaded, and a repeated complete with the file as it is', async () => {
      const itwin = await newITwin(alice);
      const file = await createFile(alice, itwin.rootFolderId);
      const early = await alice.post(file.links.completeUrl);
      assert.equal(early.status, 409);
      assert.equal(early.json().error.code, 'FileNotUploaded');
      await upload(h, file.links.uploadUrl, 'v1');
      const first = await alice.post(file.links.completeUrl);
      const again = await alice.post(file.links.completeUrl);
      assert.equal(again.status, 200);
      assert.deepEqual(again.json(), first.json());
      assert.equal((await row(file.id)).content_version, 1);
    });

    it('refuses a PUT to an upload URL that was completed already (409) and keeps the content', async () => {
      const itwin = await newITwin(alice);
      const file = await createFile(alice, itwin.rootFolderId);
      await upload(h, file.links.uploadUrl, 'first');
      await alice.post(file.links.completeUrl);
      const late = await upload(h, file.links.uploadUrl, 'second');
      assert.equal(late.statusCode, 409);
      assert.equal(late.json().error.code, 'UploadAlreadyCompleted');
      assert.equal((await row(file.id)).content_hash, sha256('first'));
    });

    it('lets a second PUT of the same URL replace the first before complete', async () => {
      const itwin = await newITwin(alice);
      const file = await createFile(alice, itwin.rootFolderId);
      await upload(h, file.links.uploadUrl, 'draft');
      await upload(h, file.links.uploadUrl, 'final');
      assert.equal((await alice.post(file.links.completeUrl)).json().file.size, 5);
      assert.equal((await row(file.id)).content_hash, sha256('final'));
      assert.deepEqual(
        fs.readdirSync(path.join(h.config.dataDir, 'uploads')).filter((n) => n.startsWith(file.id)),
        [],
      );
    });

    it('keeps content and hash consistent when PUTs of one URL race', async () => {
      const itwin = await newITwin(alice);
      const file = await createFile(alice, itwin.rootFolderId);
      const bodies = Array.from({ length: 8 }, (_, i) => `body number ${i} `.repeat(1000 * (i + 1)));
      const puts = await Promise.all(bodies.map((b) => upload(h, file.links.uploadUrl, b)));
      assert.deepEqual(
        puts.map((p) => p.statusCode),
        Array(8).fill(201),
      );
      await alice.post(file.links.completeUrl);
      const stored = await row(file.id);
      const onDisk = fs.readFileSync(path.join(h.config.dataDir, 'blobs', file.id, '1'));
      assert.equal(sha256(onDisk), stored.content_hash);
      assert.equal(onDisk.length, stored.size);
      assert.deepEqual(
        fs.readdirSync(path.join(h.config.dataDir, 'uploads')).filter((n) => n.startsWith(file.id)),
        [],
        'every losing staged file removed',
      );
    });
  });

  describe('POST /storage/files/{id}/updatecontent', () => {
    it('gives URLs for the next version; the old content stays current until complete; each complete adds a version and a hash', async () => {
      const itwin = await newITwin(alice);
      const id = await completedFile(h, alice, itwin.rootFolderId, 'model.ifc', 'version one');
      const res = await alice.post(`/storage/files/${id}/updatecontent`);
      assert.equal(res.status, 200);
      const { uploadUrl, completeUrl } = res.json()._links;
      assert.equal(completeUrl.href, `${PUBLIC_URL}/storage/files/${id}/complete`);
      assert.equal(new URL(uploadUrl.href).searchParams.get('version'), '2');

      assert.equal((await upload(h, uploadUrl.href, 'version two!')).statusCode, 201);
      let stored = await row(id);
      assert.equal(stored.content_version, 1);
      assert.equal(stored.content_hash, sha256('version one'));
      assert.equal((await alice.get(`/storage/files/${id}`)).json().file.size, 11);

      const done = await alice.post(completeUrl.href);
      assert.equal(done.json().file.size, 12);
      stored = await row(id);
      assert.equal(stored.content_version, 2);
      assert.equal(stored.content_hash, sha256('version two!'));
      assert.equal(fs.readFileSync(path.join(h.config.dataDir, 'blobs', id, '2'), 'utf8'), 'version two!');
    });

    it('asked twice before complete, gives a fresh URL for the same version; an unused update leaves complete answering 409', async () => {
      const itwin = await newITwin(alice);
      const id = await completedFile(h, alice, itwin.rootFolderId);
      const a = (await alice.post(`/storage/files/${id}/updatecontent`)).json()._links.uploadUrl.href;
      const b = (await alice.post(`/storage/files/${id}/updatecontent`)).json()._links.uploadUrl.href;
      assert.equal(new URL(a).searchParams.get('version'), '2');
      assert.equal(new URL(b).searchParams.get('version'), '2');
      assert.equal((await alice.post(`/storage/files/${id}/complete`)).status, 409);
      assert.equal((await row(id)).content_version, 1);
    });

    it('is 404 for an unknown file and 403 for someone else’s', async () => {
      assert.equal((await alice.post('/storage/files/TYJsPN0xtkWId0yUrXkS5pN5AQzuullIkxz5aDnDJSI/updatecontent')).status, 404);
      const itwin = await newITwin(alice);
      const id = await completedFile(h, alice, itwin.rootFolderId);
      assert.equal((await bob.post(`/storage/files/${id}/updatecontent`)).status, 403);
      assert.equal((await bob.post(`/storage/files/${id}/complete`)).status, 403);
    });
  });

  describe('GET, PATCH and DELETE /storage/files/{id}', () => {
    it('renames a file and changes or clears its description; an empty body changes nothing', async () => {
      const itwin = await newITwin(alice);
      const id = await completedFile(h, alice, itwin.rootFolderId, 'old.ifc');
      const renamed = await alice.patch(`/storage/files/${id}`, { displayName: 'new.ifc', description: 'renamed' });
      assert.equal(renamed.status, 200);
      assert.equal(renamed.json().file.displayName, 'new.ifc');
      assert.equal(renamed.json().file.path, 'new.ifc');
      assert.equal(renamed.json().file.description, 'renamed');
      const cleared = await alice.patch(`/storage/files/${id}`, { description: null });
      assert.equal(cleared.json().file.description, null);
      assert.equal(cleared.json().file.displayName, 'new.ifc');
      const nothing = await alice.patch(`/storage/files/${id}`, {});
      assert.equal(nothing.status, 200);
      assert.equal(nothing.json().file.displayName, 'new.ifc');
      const bad = await alice.patch(`/storage/files/${id}`, { displayName: '' });
      assert.equal(bad.status, 422);
      assert.equal(bad.json().error.code, 'InvalidStorageRequest');
    });

    it('deletes a file with its content; then 404 FileNotFound; its upload URL no longer works', async () => {
      const itwin = await newITwin(alice);
      const id = await completedFile(h, alice, itwin.rootFolderId);
      const next = (await alice.post(`/storage/files/${id}/updatecontent`)).json()._links.uploadUrl.href;
      assert.equal((await bob.delete(`/storage/files/${id}`)).status, 403);
      const res = await alice.delete(`/storage/files/${id}`);
      assert.equal(res.status, 204);
      assert.equal(res.body, '');
      const gone = await alice.get(`/storage/files/${id}`);
      assert.equal(gone.status, 404);
      assert.deepEqual(gone.json(), { error: { code: 'FileNotFound', message: 'Requested file is not available.' } });
      assert.equal(fs.existsSync(path.join(h.config.dataDir, 'blobs', id)), false);
      assert.equal((await upload(h, next, 'late')).statusCode, 404);
      assert.equal(fs.existsSync(path.join(h.config.dataDir, 'blobs', id)), false);
      assert.equal((await alice.delete(`/storage/files/${id}`)).status, 404);
    });

    it('is 403 InsufficientPermissions for GET and PATCH by a non-member', async () => {
      const itwin = await newITwin(alice);
      const id = await completedFile(h, alice, itwin.rootFolderId);
      for (const res of [await bob.get(`/storage/files/${id}`), await bob.patch(`/storage/files/${id}`, { displayName: 'mine.ifc' })]) {
        assert.equal(res.status, 403);
        assert.equal(res.json().error.code, 'InsufficientPermissions');
      }
    });
  });
});
