import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { completedFile, createFile, newITwin } from '../helpers/platform.js';
import { MAX_FOLDER_DEPTH } from '../../src/domain/storage/create-folder.js';
import { newOpaqueId } from '../../src/domain/ids.js';
import { assertContinues } from '../helpers/paging.js';

const OPAQUE = /^[A-Za-z0-9_-]{43}$/;

onEveryStore('Storage folders', ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');

  async function newFolder(parentId: string, displayName: string, description?: string): Promise<string> {
    const res = await alice.post(`/storage/folders/${parentId}/folders`, { displayName, description });
    assert.equal(res.status, 201, res.body);
    return res.json().folder.id;
  }

  describe('GET /storage/?iTwinId=', () => {
    it('gives the root folder as _links.folder and its content, folders first, by iTwinId or the legacy projectId', async () => {
      const itwin = await newITwin(alice);
      const empty = await alice.get(`/storage/?iTwinId=${itwin.id}`);
      assert.equal(empty.status, 200);
      assert.deepEqual(empty.json().items, []);
      const href: string = empty.json()._links.folder.href;
      assert.equal(href, `${PUBLIC_URL}/storage/folders/${itwin.rootFolderId}`);
      assert.match(href.split('/').reverse()[0]!, OPAQUE);

      const fileId = await completedFile(h, alice, itwin.rootFolderId, 'a.ifc');
      const folderId = await newFolder(itwin.rootFolderId, 'Drawings');
      const listed = await alice.get(`/storage?projectId=${itwin.id}`);
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.json().items.map((i: { type: string; id: string }) => [i.type, i.id]),
        [
          ['folder', folderId],
          ['file', fileId],
        ],
      );
      assert.equal(listed.json()._links.self.href, `${PUBLIC_URL}/storage/?projectId=${itwin.id}&$skip=0&$top=1000`);
    });

    it('pages over folders and files together', async () => {
      const itwin = await newITwin(alice);
      const folders = [await newFolder(itwin.rootFolderId, 'f1'), await newFolder(itwin.rootFolderId, 'f2')];
      const files = [await completedFile(h, alice, itwin.rootFolderId, 'x1.ifc'), await completedFile(h, alice, itwin.rootFolderId, 'x2.ifc')];
      const page = await alice.get(`/storage/?iTwinId=${itwin.id}&$top=2&$skip=1`);
      assert.deepEqual(
        page.json().items.map((i: { id: string }) => i.id),
        [folders[1], files[0]],
      );
      assertContinues(page.json()._links.next.href, `${PUBLIC_URL}/storage/?iTwinId=${itwin.id}&`, 2);
      assert.equal(page.json()._links.prev.href, `${PUBLIC_URL}/storage/?iTwinId=${itwin.id}&$skip=0&$top=2`);
      const last = await alice.get(`/storage/?iTwinId=${itwin.id}&$top=2&$skip=3`);
      assert.deepEqual(
        last.json().items.map((i: { id: string }) => i.id),
        [files[1]],
      );
      assert.equal(last.json()._links.next, undefined);
    });

    it('needs the iTwin (422), an existing one (404) that the caller is a member of (403)', async () => {
      const missing = await alice.get('/storage/');
      assert.equal(missing.status, 422);
      assert.equal(missing.json().error.details[0].target, 'iTwinId');
      assert.equal((await alice.get('/storage/?iTwinId=00000000-0000-4000-8000-000000000000')).json().error.code, 'iTwinNotFound');
      const itwin = await newITwin(alice);
      assert.equal((await bob.get(`/storage/?iTwinId=${itwin.id}`)).status, 403);
    });
  });

  describe('folders', () => {
    it('creates a folder in a folder (201, Location) and gets it with its path', async () => {
      const itwin = await newITwin(alice);
      const outer = await newFolder(itwin.rootFolderId, 'Site');
      const res = await alice.post(`/storage/folders/${outer}/folders`, { displayName: 'Plans', description: 'floor plans' });
      assert.equal(res.status, 201);
      const { folder } = res.json();
      assert.match(folder.id, OPAQUE);
      assert.equal(res.headers.location, `${PUBLIC_URL}/storage/folders/${folder.id}`);
      assert.deepEqual(folder, {
        type: 'folder',
        id: folder.id,
        displayName: 'Plans',
        description: 'floor plans',
        path: 'Site/Plans',
        lastModifiedByDisplayName: 'alice',
        createdDateTime: folder.createdDateTime,
        lastModifiedDateTime: folder.createdDateTime,
        parentFolderId: outer,
        _links: {
          createdBy: { href: `${PUBLIC_URL}/accesscontrol/itwins/${itwin.id}/members/alice` },
          lastModifiedBy: { href: `${PUBLIC_URL}/accesscontrol/itwins/${itwin.id}/members/alice` },
          parentFolder: { href: `${PUBLIC_URL}/storage/folders/${outer}` },
        },
      });
      const got = await alice.get(`/storage/folders/${folder.id}`);
      assert.deepEqual(got.json().folder, folder);
      const root = await alice.get(`/storage/folders/${itwin.rootFolderId}`);
      assert.equal(root.json().folder.path, '');
      assert.equal(root.json().folder.parentFolderId, undefined);
    });

    it('lists a folder: everything (/list), only files (/files) or only folders (/folders)', async () => {
      const itwin = await newITwin(alice);
      const parent = await newFolder(itwin.rootFolderId, 'P');
      const sub = await newFolder(parent, 'S');
      const file = await completedFile(h, alice, parent, 'in-p.ifc');
      const list = await alice.get(`/storage/folders/${parent}/list`);
      assert.deepEqual(
        list.json().items.map((i: { id: string }) => i.id),
        [sub, file],
      );
      assert.equal(list.json().items[1].path, 'P/in-p.ifc');
      assert.equal(list.json()._links.self.href, `${PUBLIC_URL}/storage/folders/${parent}/list?$skip=0&$top=1000`);
      const files = await alice.get(`/storage/folders/${parent}/files`);
      assert.deepEqual(
        files.json().files.map((i: { id: string; type: string }) => [i.type, i.id]),
        [['file', file]],
      );
      const folders = await alice.get(`/storage/folders/${parent}/folders`);
      assert.deepEqual(
        folders.json().folders.map((i: { id: string }) => i.id),
        [sub],
      );
      assert.equal((await alice.get(`/storage/folders/${parent}/list?$skip=-1`)).status, 422);
    });

    it('refuses bad names with 422 InvalidStorageRequest details', async () => {
      const itwin = await newITwin(alice);
      const res = await alice.post(`/storage/folders/${itwin.rootFolderId}/folders`, { displayName: 'a/b' });
      assert.equal(res.status, 422);
      assert.equal(res.json().error.code, 'InvalidStorageRequest');
      assert.equal(res.json().error.details[0].target, 'displayName');
      const missing = await alice.post(`/storage/folders/${itwin.rootFolderId}/folders`, {});
      assert.equal(missing.json().error.details[0].code, 'MissingRequiredProperty');
    });

    it('is 404 FolderNotFound for an unknown folder and 403 for a folder of someone else’s iTwin', async () => {
      const unknown = await alice.get('/storage/folders/TYJsPN0xtkWId0yUrXkS5g0CIYaGZLxEozrWBCOcS_s');
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.json(), { error: { code: 'FolderNotFound', message: 'Requested folder is not available.' } });
      assert.equal((await alice.post('/storage/folders/unknown/files', { displayName: 'x.ifc' })).status, 404);
      const itwin = await newITwin(alice);
      for (const res of [
        await bob.get(`/storage/folders/${itwin.rootFolderId}`),
        await bob.get(`/storage/folders/${itwin.rootFolderId}/list`),
        await bob.post(`/storage/folders/${itwin.rootFolderId}/folders`, { displayName: 'mine' }),
        await bob.post(`/storage/folders/${itwin.rootFolderId}/files`, { displayName: 'mine.ifc' }),
        await bob.delete(`/storage/folders/${itwin.rootFolderId}`),
      ]) {
        assert.equal(res.status, 403);
        assert.equal(res.json().error.code, 'InsufficientPermissions');
      }
    });

    it('deletes a folder with everything below it, content on disk included; never the root folder', async () => {
      const itwin = await newITwin(alice);
      const top = await newFolder(itwin.rootFolderId, 'top');
      const deep = await newFolder(top, 'deep');
      const fileId = await completedFile(h, alice, deep, 'deep.ifc');
      const pending = await createFile(alice, top, 'pending.ifc');
      assert.ok(fs.existsSync(path.join(h.config.dataDir, 'blobs', fileId)));
      const res = await alice.delete(`/storage/folders/${top}`);
      assert.equal(res.status, 204);
      assert.equal(res.headers['content-type'], undefined);
      for (const url of [`/storage/folders/${top}`, `/storage/folders/${deep}`, `/storage/files/${fileId}`, `/storage/files/${pending.id}`]) {
        assert.equal((await alice.get(url)).status, 404, url);
      }
      assert.equal(fs.existsSync(path.join(h.config.dataDir, 'blobs', fileId)), false);
      const root = await alice.delete(`/storage/folders/${itwin.rootFolderId}`);
      assert.equal(root.status, 409);
      assert.equal(root.json().error.code, 'CannotDeleteRootFolder');
    });
  });

  describe('deep trees', () => {
    /** A chain of `depth` folders below the root, made over HTTP; returns them top first. */
    async function chainOverHttp(rootFolderId: string, depth: number): Promise<string[]> {
      const chain: string[] = [];
      let parent = rootFolderId;
      for (let level = 1; level <= depth; level++) chain.push((parent = await newFolder(parent, `level ${level}`)));
      return chain;
    }

    /**
     * A chain written straight into the store, deeper than the API lets anyone build today: trees
     * made before the depth limit existed must still be deletable.
     */
    async function chainInStore(itwin: { id: string; rootFolderId: string }, depth: number): Promise<string[]> {
      const rows = [];
      let parent = itwin.rootFolderId;
      for (let level = 1; level <= depth; level++) {
        const id = newOpaqueId();
        rows.push({
          id,
          itwin_id: itwin.id,
          parent_id: parent,
          display_name: `l${level}`,
          description: null,
          created_at: new Date().toISOString(),
          created_by: 'alice',
        });
        parent = id;
      }
      for (let i = 0; i < rows.length; i += 500)
        await h.store.db
          .insertInto('storage_folders')
          .values(rows.slice(i, i + 500))
          .execute();
      return rows.map((r) => r.id);
    }

    it(`creates folders down to ${MAX_FOLDER_DEPTH} levels below the root and refuses one more with 422`, async () => {
      const itwin = await newITwin(alice);
      const chain = await chainOverHttp(itwin.rootFolderId, MAX_FOLDER_DEPTH);
      const deepest = await alice.get(`/storage/folders/${chain.at(-1)}`);
      assert.equal(deepest.json().folder.path.split('/').length, MAX_FOLDER_DEPTH);
      const refused = await alice.post(`/storage/folders/${chain.at(-1)}/folders`, { displayName: 'one too many' });
      assert.equal(refused.status, 422);
      assert.equal(refused.json().error.code, 'InvalidStorageRequest');
      assert.deepEqual(refused.json().error.details, [
        { code: 'InvalidValue', message: `Folders nest at most ${MAX_FOLDER_DEPTH} levels below the root folder.`, target: 'folderId' },
      ]);
      // Files may still go into the deepest folder.
      assert.equal((await alice.post(`/storage/folders/${chain.at(-1)}/files`, { displayName: 'deep.ifc' })).status, 202);

      // A tree at the limit deletes: a folder in the middle of it, then the whole iTwin.
      assert.equal((await alice.delete(`/storage/folders/${chain[MAX_FOLDER_DEPTH / 2]}`)).status, 204);
      assert.equal((await alice.get(`/storage/folders/${chain.at(-1)}`)).status, 404);
      assert.equal((await alice.delete(`/itwins/${itwin.id}`)).status, 204);
      assert.equal((await alice.get(`/storage/folders/${chain[0]}`)).status, 404);
    });

    it('deletes a folder holding a tree 1,200 levels deep, with its files', async () => {
      const itwin = await newITwin(alice);
      const chain = await chainInStore(itwin, 1200);
      const fileId = await completedFile(h, alice, chain.at(-1)!, 'bottom.ifc');
      const res = await alice.delete(`/storage/folders/${chain[0]}`);
      assert.equal(res.status, 204, res.body);
      const left = await h.store.db.selectFrom('storage_folders').select('id').where('itwin_id', '=', itwin.id).execute();
      assert.deepEqual(
        left.map((r) => r.id),
        [itwin.rootFolderId],
      );
      assert.equal((await alice.get(`/storage/files/${fileId}`)).status, 404);
      assert.equal(fs.existsSync(path.join(h.config.dataDir, 'blobs', fileId)), false);
    });

    it('deletes an iTwin holding a tree 1,200 levels deep', async () => {
      const itwin = await newITwin(alice);
      const chain = await chainInStore(itwin, 1200);
      await completedFile(h, alice, chain.at(-1)!, 'bottom.ifc');
      const res = await alice.delete(`/itwins/${itwin.id}`);
      assert.equal(res.status, 204, res.body);
      assert.equal((await alice.get(`/itwins/${itwin.id}`)).status, 404);
      const left = await h.store.db.selectFrom('storage_folders').select('id').where('itwin_id', '=', itwin.id).execute();
      assert.deepEqual(left, []);
    });
  });
});
