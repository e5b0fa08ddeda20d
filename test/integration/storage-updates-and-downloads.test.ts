import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadDeploymentSecrets } from '../../src/auth/deployment-secrets.js';
import { FILE_DOWNLOAD_GRANT } from '../../src/domain/storage/download-file.js';
import { UploadSigner } from '../../src/domain/storage/upload-signing.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { clientFor, completedFile, createFile, newITwin, relative, upload } from '../helpers/platform.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

onEveryStore('Storage: folder updates, file downloads, paging', ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');

  async function newFolder(parentId: string, displayName: string, description?: string): Promise<string> {
    const res = await alice.post(`/storage/folders/${parentId}/folders`, { displayName, description });
    assert.equal(res.status, 201, res.body);
    return res.json().folder.id;
  }

  /** GET without a bearer token, as a client following a Location does. */
  const follow = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url: relative(url), headers });

  describe('PATCH /storage/folders/{id}', () => {
    it('renames a folder and changes its description; what is inside shows the new path', async () => {
      const itwin = await newITwin(alice);
      const outer = await newFolder(itwin.rootFolderId, 'Site', 'old');
      const inner = await newFolder(outer, 'Drawings');
      const res = await alice.patch(`/storage/folders/${outer}`, { displayName: 'Yard', description: 'new' });
      assert.equal(res.status, 200, res.body);
      const { folder } = res.json();
      assert.equal(folder.type, 'folder');
      assert.equal(folder.id, outer);
      assert.equal(folder.displayName, 'Yard');
      assert.equal(folder.description, 'new');
      assert.equal(folder.path, 'Yard');
      assert.equal((await alice.get(`/storage/folders/${inner}`)).json().folder.path, 'Yard/Drawings');

      const described = await alice.patch(`/storage/folders/${outer}`, { description: null });
      assert.equal(described.json().folder.displayName, 'Yard');
      assert.equal(described.json().folder.description, null);
      assert.equal((await alice.patch(`/storage/folders/${outer}`, {})).json().folder.displayName, 'Yard');
    });

    it('is 422 InvalidStorageRequest listing every problem, and changes nothing', async () => {
      const itwin = await newITwin(alice);
      const id = await newFolder(itwin.rootFolderId, 'Kept');
      const res = await alice.patch(`/storage/folders/${id}`, { displayName: 'a/b', description: 'x'.repeat(1025) });
      assert.equal(res.status, 422);
      assert.equal(res.json().error.code, 'InvalidStorageRequest');
      assert.deepEqual(
        res
          .json()
          .error.details.map((d: { target: string }) => d.target)
          .sort(),
        ['description', 'displayName'],
      );
      assert.equal((await alice.patch(`/storage/folders/${id}`, { displayName: '' })).status, 422);
      assert.equal((await alice.get(`/storage/folders/${id}`)).json().folder.displayName, 'Kept');
    });

    it('is 403 for a non-member, 404 FolderNotFound for unknown ids, and needs a storage modify scope', async () => {
      const itwin = await newITwin(alice);
      const id = await newFolder(itwin.rootFolderId, 'Private');
      assert.equal((await bob.patch(`/storage/folders/${id}`, { displayName: 'Mine' })).status, 403);
      const unknown = await alice.patch('/storage/folders/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { displayName: 'x' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json().error.code, 'FolderNotFound');
      assert.equal((await alice.patch('/storage/folders/x', { displayName: 'x' })).status, 404);
      const reader = await clientFor(h, 'alice', ['storage:read']);
      assert.equal((await reader.patch(`/storage/folders/${id}`, { displayName: 'x' })).status, 401);
      const writer = await clientFor(h, 'alice', ['storage:modify']);
      assert.equal((await writer.patch(`/storage/folders/${id}`, { displayName: 'Renamed' })).status, 200);
    });
  });

  describe('GET /storage/files/{id}/download', () => {
    it('answers 302 to a signed URL that gives the uploaded bytes, whole or by range, without a token', async () => {
      const itwin = await newITwin(alice);
      const content = randomBytes(70_000);
      const fileId = await completedFile(h, alice, itwin.rootFolderId, 'model.ifc', content);
      const res = await alice.get(`/storage/files/${fileId}/download`, { accept: 'application/vnd.bentley.itwin-platform.v1+octet-stream' });
      assert.equal(res.status, 302, res.body);
      const location = res.headers.location as string;
      assert.ok(location.startsWith(`${PUBLIC_URL}/storage/files/${fileId}/content?`), location);
      assert.match(location, /[?&]expires=\d+/);

      const whole = await follow(location);
      assert.equal(whole.statusCode, 200);
      assert.equal(whole.headers['content-type'], 'application/octet-stream');
      assert.equal(whole.headers['accept-ranges'], 'bytes');
      assert.equal(sha256(whole.rawPayload), sha256(content));
      assert.match(String(whole.headers['content-disposition']), /filename\*=UTF-8''model\.ifc/);

      const part = await follow(location, { range: 'bytes=100-199' });
      assert.equal(part.statusCode, 206);
      assert.equal(part.headers['content-range'], `bytes 100-199/${content.length}`);
      assert.deepEqual(part.rawPayload, content.subarray(100, 200));
      const tail = await follow(location, { range: 'bytes=-10' });
      assert.deepEqual(tail.rawPayload, content.subarray(content.length - 10));
      const past = await follow(location, { range: `bytes=${content.length}-` });
      assert.equal(past.statusCode, 416);
      assert.equal(past.headers['content-range'], `bytes */${content.length}`);
    });

    it('keeps giving the version it was made for after a new upload, and a new download gives the new one', async () => {
      const itwin = await newITwin(alice);
      const fileId = await completedFile(h, alice, itwin.rootFolderId, 'a.ifc', 'first');
      const first = (await alice.get(`/storage/files/${fileId}/download`)).headers.location as string;
      const again = await alice.post(`/storage/files/${fileId}/updatecontent`);
      assert.equal((await upload(h, again.json()._links.uploadUrl.href, 'second')).statusCode, 201);
      assert.equal((await alice.post(again.json()._links.completeUrl.href)).status, 200);
      assert.equal((await follow(first)).body, 'first');
      const second = (await alice.get(`/storage/files/${fileId}/download`)).headers.location as string;
      assert.equal((await follow(second)).body, 'second');
    });

    it('refuses a tampered or expired URL with 403 AuthenticationFailed', async () => {
      const itwin = await newITwin(alice);
      const fileId = await completedFile(h, alice, itwin.rootFolderId, 'a.ifc', 'secret bytes');
      const location = new URL((await alice.get(`/storage/files/${fileId}/download`)).headers.location as string);
      for (const [name, value] of [
        ['signature', `${location.searchParams.get('signature')!.slice(0, -2)}AA`],
        ['expires', String(Number(location.searchParams.get('expires')) + 3600)],
        ['version', '2'],
      ] as const) {
        const tampered = new URL(location);
        tampered.searchParams.set(name, value);
        const res = await follow(tampered.href);
        assert.equal(res.statusCode, 403, name);
        assert.equal(res.json().error.code, 'AuthenticationFailed');
      }
      const stripped = new URL(location);
      stripped.search = '';
      assert.equal((await follow(stripped.href)).statusCode, 403);
      // The upload URL of the same file and version does not verify as a download.
      const signer = UploadSigner.withSecret((await loadDeploymentSecrets(h.store.deployment, h.config.dataDir)).uploadUrls, 3600);
      const uploadGrant = signer.grant(fileId, 1);
      const asUpload = await follow(`/storage/files/${fileId}/content?version=1&expires=${uploadGrant.expires}&signature=${uploadGrant.signature}`);
      assert.equal(asUpload.statusCode, 403);
      // Signed with the deployment's secret but expired a second ago.
      const expires = Math.floor(Date.now() / 1000) - 1;
      const expired = await follow(
        `/storage/files/${fileId}/content?version=1&expires=${expires}&signature=${signer.signGrant(FILE_DOWNLOAD_GRANT, [fileId, '1'], expires)}`,
      );
      assert.equal(expired.statusCode, 403);
      assert.match(expired.json().error.message, /expired/);
      const valid = Math.floor(Date.now() / 1000) + 60;
      const fresh = await follow(
        `/storage/files/${fileId}/content?version=1&expires=${valid}&signature=${signer.signGrant(FILE_DOWNLOAD_GRANT, [fileId, '1'], valid)}`,
      );
      assert.equal(fresh.statusCode, 200);
      assert.equal(fresh.body, 'secret bytes');
    });

    it('is 404 once the file is deleted, 409 before its first upload, 403/404 by visibility, and needs a storage scope', async () => {
      const itwin = await newITwin(alice);
      const fileId = await completedFile(h, alice, itwin.rootFolderId, 'gone.ifc');
      const location = (await alice.get(`/storage/files/${fileId}/download`)).headers.location as string;
      assert.equal((await bob.get(`/storage/files/${fileId}/download`)).status, 403);
      assert.equal((await alice.get('/storage/files/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/download')).json().error.code, 'FileNotFound');
      const reader = await clientFor(h, 'alice', ['storage:read']);
      assert.equal((await reader.get(`/storage/files/${fileId}/download`)).status, 302);
      const other = await clientFor(h, 'alice', ['itwins:read']);
      assert.equal((await other.get(`/storage/files/${fileId}/download`)).status, 401);
      assert.equal((await h.app.inject({ method: 'GET', url: `/storage/files/${fileId}/download` })).statusCode, 401);

      assert.equal((await alice.delete(`/storage/files/${fileId}`)).status, 204);
      const after = await follow(location);
      assert.equal(after.statusCode, 404);
      assert.equal(after.json().error.code, 'FileNotFound');

      const empty = await createFile(alice, itwin.rootFolderId, 'empty.ifc');
      const notYet = await alice.get(`/storage/files/${empty.id}/download`);
      assert.equal(notYet.status, 409);
      assert.equal(notYet.json().error.code, 'FileNotUploaded');
    });
  });

  describe('$top and $skip on every storage listing', () => {
    it('pages /list, /files and /folders with next and prev links, the continuation token still working', async () => {
      const itwin = await newITwin(alice);
      const parent = await newFolder(itwin.rootFolderId, 'Parent');
      const folders = [await newFolder(parent, 'f1'), await newFolder(parent, 'f2'), await newFolder(parent, 'f3')];
      const files = [
        await completedFile(h, alice, parent, 'a1.ifc'),
        await completedFile(h, alice, parent, 'a2.ifc'),
        await completedFile(h, alice, parent, 'a3.ifc'),
      ];
      const ids = (res: { json(): any }, key: string) => res.json()[key].map((i: { id: string }) => i.id);
      const cases: [string, string, string[]][] = [
        ['list', 'items', [...folders, ...files]],
        ['files', 'files', files],
        ['folders', 'folders', folders],
      ];
      for (const [path, key, all] of cases) {
        const base = `/storage/folders/${parent}/${path}`;
        const page = await alice.get(`${base}?$top=2&$skip=1`);
        assert.equal(page.status, 200, page.body);
        assert.deepEqual(ids(page, key), all.slice(1, 3), path);
        assert.equal(page.json()._links.prev.href, `${PUBLIC_URL}${base}?$skip=0&$top=2`);
        if (all.length > 3) {
          const next = await alice.get(page.json()._links.next.href);
          assert.deepEqual(ids(next, key), all.slice(3, 5), path);
        } else assert.equal(page.json()._links.next, undefined, path);
        assert.equal((await alice.get(`${base}?$skip=${all.length}`)).json()[key].length, 0);
        const bad = await alice.get(`${base}?$top=0&$skip=-1`);
        assert.equal(bad.status, 422);
        assert.deepEqual(
          bad
            .json()
            .error.details.map((d: { target: string }) => d.target)
            .sort(),
          ['$skip', '$top'],
        );
      }
    });
  });
});
