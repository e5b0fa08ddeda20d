import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onEveryStore } from '../helpers/on-every-store.js';
import { clientFor, newITwin } from '../helpers/platform.js';

onEveryStore('PATCH /itwins/{id}', ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');

  describe('partial update', () => {
    it('changes only the properties given, keeps the rest, and GET shows the change', async () => {
      const created = await alice.post('/itwins', {
        displayName: 'Bridge',
        class: 'Thing',
        subClass: 'Asset',
        type: 'Bridge',
        number: 'B-1',
        geographicLocation: 'Exton, PA',
        ianaTimeZone: 'America/New_York',
      });
      const before = created.json().iTwin;
      const res = await alice.patch(`/itwins/${before.id}`, { displayName: 'Updated bridge', status: 'inactive', geographicLocation: null });
      assert.equal(res.status, 200, res.body);
      const after = res.json().iTwin;
      assert.deepEqual(after, { ...before, displayName: 'Updated bridge', status: 'Inactive', geographicLocation: null });
      assert.deepEqual((await alice.get(`/itwins/${before.id}`)).json().iTwin, after);
      assert.equal(after.dataCenterLocation, 'East US');

      const second = await alice.patch(`/itwins/${before.id}`, { number: 'B-2', type: null, ianaTimeZone: 'Europe/Vilnius' });
      assert.deepEqual(second.json().iTwin, { ...after, number: 'B-2', type: null, ianaTimeZone: 'Europe/Vilnius' });
    });

    it('answers an empty body with the iTwin unchanged', async () => {
      const { id } = await newITwin(alice, 'Same');
      const res = await alice.patch(`/itwins/${id}`, {});
      assert.equal(res.status, 200);
      assert.equal(res.json().iTwin.displayName, 'Same');
    });

    it('an inactive iTwin leaves the default list and comes back when reactivated', async () => {
      const { id } = await newITwin(alice, 'Cycle');
      await alice.patch(`/itwins/${id}`, { status: 'Inactive' });
      const listed = async () => (await alice.get('/itwins?$top=1000')).json().iTwins.map((i: { id: string }) => i.id);
      assert.ok(!(await listed()).includes(id));
      await alice.patch(`/itwins/${id}`, { status: 'Active' });
      assert.ok((await listed()).includes(id));
    });
  });

  describe('validation', () => {
    it('is 422 InvalidiTwinsRequest listing every problem, and changes nothing', async () => {
      const { id } = await newITwin(alice, 'Kept');
      const res = await alice.patch(`/itwins/${id}`, {
        displayName: '  ',
        status: 'Sleeping',
        number: 42,
        class: 'Thing',
        dataCenterLocation: 'West Europe',
        ianaTimeZone: 'x'.repeat(256),
      });
      assert.equal(res.status, 422);
      assert.equal(res.json().error.code, 'InvalidiTwinsRequest');
      const targets = res
        .json()
        .error.details.map((d: { target: string }) => d.target)
        .sort();
      assert.deepEqual(targets, ['class', 'dataCenterLocation', 'displayName', 'ianaTimeZone', 'number', 'status']);
      assert.equal((await alice.get(`/itwins/${id}`)).json().iTwin.displayName, 'Kept');
    });

    it('refuses a body that is not an object and a null displayName', async () => {
      const { id } = await newITwin(alice);
      assert.equal((await alice.patch(`/itwins/${id}`, [1])).status, 422);
      const nulled = await alice.patch(`/itwins/${id}`, { displayName: null });
      assert.equal(nulled.status, 422);
      assert.equal(nulled.json().error.details[0].target, 'displayName');
    });
  });

  describe('dataCenterLocation', () => {
    it("an iModel reports its iTwin's data center, on create, get, list and update", async () => {
      const created = await alice.post('/itwins', { displayName: 'EU', class: 'Endeavor', subClass: 'Project', dataCenterLocation: 'West Europe' });
      const itwin = created.json().iTwin;
      assert.equal(itwin.dataCenterLocation, 'West Europe');
      const made = await alice.post('/imodels', { iTwinId: itwin.id, name: 'Located' });
      assert.equal(made.json().iModel.dataCenterLocation, 'West Europe');
      const id = made.json().iModel.id;
      assert.equal((await alice.get(`/imodels/${id}`)).json().iModel.dataCenterLocation, 'West Europe');
      const listed = await h.app.inject({
        method: 'GET',
        url: `/imodels?iTwinId=${itwin.id}`,
        headers: { authorization: `Bearer ${alice.token}`, prefer: 'return=representation' },
      });
      assert.equal(listed.json().iModels[0].dataCenterLocation, 'West Europe');
      assert.equal((await alice.patch(`/imodels/${id}`, { description: 'd' })).json().iModel.dataCenterLocation, 'West Europe');
      // The default data center when the iTwin named none.
      const plain = await newITwin(alice);
      assert.equal((await alice.post('/imodels', { iTwinId: plain.id, name: 'Default' })).json().iModel.dataCenterLocation, 'East US');
    });
  });

  describe('visibility and scopes', () => {
    it('is 403 for a non-member, 404 iTwinNotFound for unknown or malformed ids', async () => {
      const { id } = await newITwin(alice, 'Private');
      const refused = await bob.patch(`/itwins/${id}`, { displayName: 'Mine' });
      assert.equal(refused.status, 403);
      assert.equal(refused.json().error.code, 'InsufficientPermissions');
      assert.equal((await alice.get(`/itwins/${id}`)).json().iTwin.displayName, 'Private');
      assert.equal((await alice.patch('/itwins/00000000-0000-4000-8000-000000000000', { displayName: 'x' })).json().error.code, 'iTwinNotFound');
      assert.equal((await alice.patch('/itwins/not-a-guid', { displayName: 'x' })).status, 404);
    });

    it('needs itwins:modify or itwin-platform', async () => {
      const { id } = await newITwin(alice);
      const reader = await clientFor(h, 'alice', ['itwins:read']);
      const res = await reader.patch(`/itwins/${id}`, { displayName: 'x' });
      assert.equal(res.status, 401);
      assert.equal(res.json().error.code, 'RequiredScopeMissing');
      const writer = await clientFor(h, 'alice', ['itwins:modify']);
      assert.equal((await writer.patch(`/itwins/${id}`, { displayName: 'x' })).status, 200);
    });
  });
});
