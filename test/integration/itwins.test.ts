import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { clientFor, completedFile, newIModel, newITwin } from '../helpers/platform.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

onEveryStore('iTwins', ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');

  describe('POST /itwins', () => {
    it('creates an iTwin with every documented property, a Location, and its creator as member', async () => {
      const res = await alice.post('/itwins', {
        displayName: 'Bridge',
        class: 'Thing',
        subClass: 'Asset',
        type: 'Bridge',
        number: 'B-1',
        geographicLocation: 'Exton, PA',
        ianaTimeZone: 'America/New_York',
      });
      assert.equal(res.status, 201);
      const { iTwin } = res.json();
      assert.match(iTwin.id, GUID);
      assert.deepEqual(iTwin, {
        id: iTwin.id,
        class: 'Thing',
        subClass: 'Asset',
        type: 'Bridge',
        number: 'B-1',
        displayName: 'Bridge',
        geographicLocation: 'Exton, PA',
        ianaTimeZone: 'America/New_York',
        dataCenterLocation: 'East US',
        status: 'Active',
        parentId: null,
        iTwinAccountId: null,
        imageName: null,
        image: null,
        createdDateTime: iTwin.createdDateTime,
        createdBy: 'alice',
      });
      assert.equal(res.headers.location, `${PUBLIC_URL}/itwins/${iTwin.id}`);
      const members = await alice.get(`/accesscontrol/itwins/${iTwin.id}/members`);
      assert.deepEqual(
        members.json().members.map((m: { id: string }) => m.id),
        ['alice'],
      );
    });

    it('also answers POST /itwins/ (trailing slash), matches class and subClass in any case, numbers by id by default', async () => {
      const res = await alice.post('/itwins/', { displayName: 'Road', class: 'endeavor', subClass: 'PROJECT' });
      assert.equal(res.status, 201);
      const { iTwin } = res.json();
      assert.equal(iTwin.class, 'Endeavor');
      assert.equal(iTwin.subClass, 'Project');
      assert.equal(iTwin.number, iTwin.id);
    });

    it('reports every problem of a body in one 422', async () => {
      const res = await alice.post('/itwins', { class: 'Thing', subClass: 'Project', status: 'Sleeping', parentId: 'nope' });
      assert.equal(res.status, 422);
      const { error } = res.json();
      assert.equal(error.code, 'InvalidiTwinsRequest');
      assert.deepEqual(
        error.details.map((d: { code: string; target: string }) => `${d.code}:${d.target}`),
        ['MissingRequiredProperty:displayName', 'InvalidValue:subClass', 'InvalidValue:status', 'InvalidValue:parentId'],
      );
    });

    it('requires class and subClass', async () => {
      const res = await alice.post('/itwins', { displayName: 'x' });
      assert.equal(res.status, 422);
      assert.deepEqual(
        res.json().error.details.map((d: { target: string }) => d.target),
        ['class', 'subClass'],
      );
    });

    it('answers malformed JSON, a non-object and no body with 422 InvalidRequestBody', async () => {
      for (const body of ['{"displayName":', '[1]']) {
        const res = await alice.post('/itwins', body);
        assert.equal(res.status, 422, body);
        assert.equal(res.json().error.details[0].code, 'InvalidRequestBody');
      }
      const empty = await alice.request('POST', '/itwins');
      assert.equal(empty.status, 422);
      assert.equal(empty.json().error.details[0].code, 'InvalidRequestBody');
    });

    it('takes a parent iTwin only if the creator is one of its members', async () => {
      const parent = await newITwin(alice, 'Program');
      const ok = await alice.post('/itwins', { displayName: 'child', class: 'Endeavor', subClass: 'WorkPackage', parentId: parent.id });
      assert.equal(ok.status, 201);
      assert.equal(ok.json().iTwin.parentId, parent.id);
      const refused = await bob.post('/itwins', { displayName: 'child', class: 'Endeavor', subClass: 'WorkPackage', parentId: parent.id });
      assert.equal(refused.status, 422);
      assert.equal(refused.json().error.details[0].target, 'parentId');
    });

    it('needs an itwins:modify or itwin-platform scope', async () => {
      const reader = await clientFor(h, 'alice', ['itwins:read']);
      const res = await reader.post('/itwins', { displayName: 'x', class: 'Endeavor', subClass: 'Project' });
      assert.equal(res.status, 401);
      assert.equal(res.json().error.code, 'RequiredScopeMissing');
      const writer = await clientFor(h, 'alice', ['itwins:modify']);
      assert.equal((await writer.post('/itwins', { displayName: 'x', class: 'Endeavor', subClass: 'Project' })).status, 201);
    });
  });

  describe('GET /itwins/{id}', () => {
    it('returns the iTwin to a member, honouring Prefer: return=representation', async () => {
      const { id } = await newITwin(alice, 'Visible');
      const res = await alice.get(`/itwins/${id.toUpperCase()}`, { prefer: 'return=representation' });
      assert.equal(res.status, 200);
      assert.equal(res.json().iTwin.id, id);
      assert.equal(res.json().iTwin.displayName, 'Visible');
      assert.equal(res.headers['preference-applied'], 'return=representation');
    });

    it('is 403 InsufficientPermissions for a non-member and 404 iTwinNotFound for unknown or malformed ids', async () => {
      const { id } = await newITwin(alice);
      const forbidden = await bob.get(`/itwins/${id}`);
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.json().error.code, 'InsufficientPermissions');
      for (const unknown of ['00000000-0000-4000-8000-000000000000', 'not-a-guid']) {
        const res = await alice.get(`/itwins/${unknown}`);
        assert.equal(res.status, 404);
        assert.deepEqual(res.json(), { error: { code: 'iTwinNotFound', message: 'Requested iTwin is not available.' } });
      }
    });
  });

  describe('GET /itwins', () => {
    it("lists only the caller's iTwins, oldest first, minimal unless asked for the representation", async () => {
      const carol = await clientFor(h, 'carol');
      const first = await newITwin(carol, 'one');
      const second = await newITwin(carol, 'two');
      await newITwin(alice, 'not carol’s');
      const minimal = await carol.get('/itwins');
      assert.equal(minimal.status, 200);
      assert.deepEqual(
        minimal.json().iTwins.map((t: { id: string }) => t.id),
        [first.id, second.id],
      );
      assert.deepEqual(Object.keys(minimal.json().iTwins[0]).sort(), ['class', 'displayName', 'id', 'number', 'subClass', 'type']);
      const full = await carol.get('/itwins', { prefer: 'return=representation' });
      assert.equal(full.json().iTwins[0].createdBy, 'carol');
      assert.equal(full.json().iTwins[0].status, 'Active');
    });

    it('pages with $top/$skip and links self, prev and next', async () => {
      const dave = await clientFor(h, 'dave');
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push((await newITwin(dave, `t${i}`)).id);
      const page = await dave.get('/itwins?$top=2&$skip=2');
      assert.deepEqual(
        page.json().iTwins.map((t: { id: string }) => t.id),
        ids.slice(2, 4),
      );
      assert.deepEqual(page.json()._links, {
        self: { href: `${PUBLIC_URL}/itwins?$skip=2&$top=2` },
        prev: { href: `${PUBLIC_URL}/itwins?$skip=0&$top=2` },
        next: { href: `${PUBLIC_URL}/itwins?$skip=4&$top=2` },
      });
      const last = await dave.get('/itwins?$top=2&$skip=4');
      assert.equal(last.json()._links.next, undefined);
      const bad = await dave.get('/itwins?$top=0');
      assert.equal(bad.status, 422);
      assert.equal(bad.json().error.code, 'InvalidiTwinsRequest');
    });

    it('filters by subClass and leaves Inactive iTwins out unless includeInactive=true', async () => {
      const erin = await clientFor(h, 'erin');
      const asset = (await erin.post('/itwins', { displayName: 'a', class: 'Thing', subClass: 'Asset' })).json().iTwin.id;
      const inactive = (await erin.post('/itwins', { displayName: 'i', class: 'Endeavor', subClass: 'Project', status: 'Inactive' })).json().iTwin.id;
      assert.deepEqual(
        (await erin.get('/itwins?subClass=asset')).json().iTwins.map((t: { id: string }) => t.id),
        [asset],
      );
      assert.deepEqual(
        (await erin.get('/itwins')).json().iTwins.map((t: { id: string }) => t.id),
        [asset],
      );
      assert.deepEqual(
        (await erin.get('/itwins?includeInactive=true')).json().iTwins.map((t: { id: string }) => t.id),
        [asset, inactive],
      );
    });
  });

  describe('DELETE /itwins/{id}', () => {
    it('is refused with 409 while the iTwin holds iModels, then deletes it with its folders, files and their content', async () => {
      const itwin = await newITwin(alice);
      const iModelId = await newIModel(alice, itwin.id);
      const fileId = await completedFile(h, alice, itwin.rootFolderId);
      const refused = await alice.delete(`/itwins/${itwin.id}`);
      assert.equal(refused.status, 409);
      assert.equal(refused.json().error.code, 'iTwinHasiModels');
      assert.equal((await alice.delete(`/imodels/${iModelId}`)).status, 204);

      assert.ok(fs.existsSync(path.join(h.config.dataDir, 'blobs', fileId)));
      const res = await alice.delete(`/itwins/${itwin.id}`);
      assert.equal(res.status, 204);
      assert.equal(res.body, '');
      assert.equal(res.headers['content-type'], undefined);
      assert.equal((await alice.get(`/itwins/${itwin.id}`)).status, 404);
      assert.equal((await alice.get(`/storage/files/${fileId}`)).status, 404);
      assert.equal((await alice.get(`/storage/folders/${itwin.rootFolderId}`)).status, 404);
      assert.equal(fs.existsSync(path.join(h.config.dataDir, 'blobs', fileId)), false);
    });

    it('is 403 for a non-member (nothing deleted) and 404 for an unknown iTwin', async () => {
      const itwin = await newITwin(alice);
      assert.equal((await bob.delete(`/itwins/${itwin.id}`)).status, 403);
      assert.equal((await alice.get(`/itwins/${itwin.id}`)).status, 200);
      assert.equal((await alice.delete('/itwins/00000000-0000-4000-8000-000000000000')).status, 404);
    });

    it('never deletes an iModel created at the same moment: one of the two loses cleanly', async () => {
      for (let round = 0; round < 5; round++) {
        const itwin = await newITwin(alice);
        const [deleted, created] = await Promise.all([alice.delete(`/itwins/${itwin.id}`), alice.post('/imodels', { iTwinId: itwin.id, name: 'racing' })]);
        if (created.status === 201) {
          assert.equal(deleted.status, 409, 'an iModel exists, so the iTwin cannot have been deleted');
          assert.equal((await alice.get(`/imodels/${created.json().iModel.id}`)).status, 200);
        } else {
          assert.equal(deleted.status, 204);
          assert.equal(created.status, 404);
        }
      }
    });
  });
});
