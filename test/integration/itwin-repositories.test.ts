import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { clientFor, completedFile, newIModel, newITwin } from '../helpers/platform.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

onEveryStore('iTwin repositories', ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');

  const gis = {
    class: 'GeographicInformationSystem',
    subClass: 'UrlTemplate',
    displayName: 'Tiles',
    uri: 'https://tiles.example.com/{z}/{x}/{y}.png',
    authentication: { type: 'Header', key: 'X-Api-Key', value: 'k' },
    options: { queryParameters: { apiVersion: '1.5.1' }, minimumLevel: 10 },
  };

  describe('POST /itwins/{id}/repositories', () => {
    it('registers a repository (201) with every documented property echoed', async () => {
      const itwin = await newITwin(alice);
      const res = await alice.post(`/itwins/${itwin.id}/repositories`, gis);
      assert.equal(res.status, 201, res.body);
      const { repository } = res.json();
      assert.match(repository.id, GUID);
      assert.deepEqual(repository, { id: repository.id, ...gis });
    });

    it('takes what the iTwin CLI sends: class, subClass and uri only, names in any case', async () => {
      const itwin = await newITwin(alice);
      const res = await alice.post(`/itwins/${itwin.id}/repositories`, {
        class: 'construction',
        subClass: 'performance',
        uri: 'https://example.com/repository2',
      });
      assert.equal(res.status, 201, res.body);
      assert.deepEqual(res.json().repository, {
        id: res.json().repository.id,
        class: 'Construction',
        subClass: 'Performance',
        uri: 'https://example.com/repository2',
      });
    });

    it('is 422 InvalidiTwinsRequest listing every problem, and registers nothing', async () => {
      const itwin = await newITwin(alice);
      const bad = await alice.post(`/itwins/${itwin.id}/repositories`, { class: 'Subsurface', subClass: 'UrlTemplate', uri: 'ftp://x', options: [1] });
      assert.equal(bad.status, 422);
      assert.equal(bad.json().error.code, 'InvalidiTwinsRequest');
      assert.deepEqual(
        bad
          .json()
          .error.details.map((d: { target: string }) => d.target)
          .sort(),
        ['options', 'subClass', 'uri'],
      );
      const missing = await alice.post(`/itwins/${itwin.id}/repositories`, { class: 'GeographicInformationSystem' });
      assert.deepEqual(
        missing
          .json()
          .error.details.map((d: { target: string }) => d.target)
          .sort(),
        ['subClass', 'uri'],
      );
      const unknown = await alice.post(`/itwins/${itwin.id}/repositories`, { class: 'iModels', uri: 'https://x.example' });
      assert.equal(unknown.json().error.details[0].target, 'class');
      assert.equal((await alice.post(`/itwins/${itwin.id}/repositories`, 'not json', { 'content-type': 'application/json' })).status, 422);
      assert.deepEqual((await alice.get(`/itwins/${itwin.id}/repositories`)).json().repositories, []);
    });
  });

  describe('GET /itwins/{id}/repositories', () => {
    it('lists generated repositories for its data, then registered ones oldest first, filtered by class and subClass', async () => {
      const itwin = await newITwin(alice);
      assert.deepEqual((await alice.get(`/itwins/${itwin.id}/repositories`)).json(), { repositories: [] });
      const a = (await alice.post(`/itwins/${itwin.id}/repositories`, gis)).json().repository;
      const b = (await alice.post(`/itwins/${itwin.id}/repositories`, { ...gis, subClass: 'WebMapService', displayName: 'WMS' })).json().repository;
      const c = (await alice.post(`/itwins/${itwin.id}/repositories`, { class: 'Subsurface', subClass: 'EvoWorkspace', uri: 'https://evo.example' })).json()
        .repository;
      await newIModel(alice, itwin.id);
      await completedFile(h, alice, itwin.rootFolderId, 'a.ifc');

      const all = (await alice.get(`/itwins/${itwin.id}/repositories`)).json().repositories;
      assert.deepEqual(
        all.map((r: { id: string }) => r.id),
        ['imodels', 'storage', a.id, b.id, c.id],
      );
      assert.deepEqual(all[0], { id: 'imodels', class: 'iModels', displayName: 'iModels', uri: `${PUBLIC_URL}/imodels?iTwinId=${itwin.id}` });
      assert.equal(all[1].uri, `${PUBLIC_URL}/storage/?iTwinId=${itwin.id}`);

      const ids = async (query: string) => (await alice.get(`/itwins/${itwin.id}/repositories?${query}`)).json().repositories.map((r: { id: string }) => r.id);
      assert.deepEqual(await ids('class=GeographicInformationSystem'), [a.id, b.id]);
      assert.deepEqual(await ids('class=geographicinformationsystem&subClass=webmapservice'), [b.id]);
      assert.deepEqual(await ids('class=iModels'), ['imodels']);
      assert.deepEqual(await ids('class=Subsurface'), [c.id]);
      assert.deepEqual(await ids('class=Construction'), []);
    });

    it('is 422 for an unknown class and for subClass without class', async () => {
      const itwin = await newITwin(alice);
      const unknown = await alice.get(`/itwins/${itwin.id}/repositories?class=Nope`);
      assert.equal(unknown.status, 422);
      assert.equal(unknown.json().error.details[0].target, 'class');
      const alone = await alice.get(`/itwins/${itwin.id}/repositories?subClass=UrlTemplate`);
      assert.equal(alone.status, 422);
      assert.equal(alone.json().error.details[0].target, 'class');
    });
  });

  describe('DELETE /itwins/{id}/repositories/{repositoryId}', () => {
    it('removes a registered repository (204); again, generated or unknown ones are 404 iTwinRepositoryNotFound', async () => {
      const itwin = await newITwin(alice);
      const { repository } = (await alice.post(`/itwins/${itwin.id}/repositories`, gis)).json();
      const res = await alice.delete(`/itwins/${itwin.id}/repositories/${repository.id}`);
      assert.equal(res.status, 204);
      assert.equal(res.headers['content-type'], undefined);
      assert.deepEqual((await alice.get(`/itwins/${itwin.id}/repositories`)).json().repositories, []);
      const again = await alice.delete(`/itwins/${itwin.id}/repositories/${repository.id}`);
      assert.equal(again.status, 404);
      assert.equal(again.json().error.code, 'iTwinRepositoryNotFound');
      assert.equal((await alice.delete(`/itwins/${itwin.id}/repositories/imodels`)).status, 404);
    });

    it("does not reach another iTwin's repository through this one", async () => {
      const one = await newITwin(alice);
      const two = await newITwin(alice);
      const { repository } = (await alice.post(`/itwins/${one.id}/repositories`, gis)).json();
      assert.equal((await alice.delete(`/itwins/${two.id}/repositories/${repository.id}`)).status, 404);
      assert.equal((await alice.get(`/itwins/${one.id}/repositories`)).json().repositories.length, 1);
    });
  });

  describe('visibility, scopes, lifetime', () => {
    it('is 403 for a non-member and 404 iTwinNotFound for an unknown iTwin, on every operation', async () => {
      const itwin = await newITwin(alice);
      const { repository } = (await alice.post(`/itwins/${itwin.id}/repositories`, gis)).json();
      assert.equal((await bob.post(`/itwins/${itwin.id}/repositories`, gis)).status, 403);
      assert.equal((await bob.get(`/itwins/${itwin.id}/repositories`)).status, 403);
      assert.equal((await bob.delete(`/itwins/${itwin.id}/repositories/${repository.id}`)).status, 403);
      const none = '00000000-0000-4000-8000-000000000000';
      assert.equal((await alice.post(`/itwins/${none}/repositories`, gis)).json().error.code, 'iTwinNotFound');
      assert.equal((await alice.get(`/itwins/${none}/repositories`)).json().error.code, 'iTwinNotFound');
      assert.equal((await alice.delete(`/itwins/${none}/repositories/${repository.id}`)).json().error.code, 'iTwinNotFound');
    });

    it('needs itwins:read to list and itwins:modify to change', async () => {
      const itwin = await newITwin(alice);
      const reader = await clientFor(h, 'alice', ['itwins:read']);
      assert.equal((await reader.get(`/itwins/${itwin.id}/repositories`)).status, 200);
      assert.equal((await reader.post(`/itwins/${itwin.id}/repositories`, gis)).status, 401);
      const writer = await clientFor(h, 'alice', ['itwins:modify']);
      assert.equal((await writer.post(`/itwins/${itwin.id}/repositories`, gis)).status, 201);
      const storage = await clientFor(h, 'alice', ['storage:read']);
      assert.equal((await storage.get(`/itwins/${itwin.id}/repositories`)).status, 401);
    });

    it('go with their iTwin', async () => {
      const itwin = await newITwin(alice);
      await alice.post(`/itwins/${itwin.id}/repositories`, gis);
      assert.equal((await alice.delete(`/itwins/${itwin.id}`)).status, 204);
      assert.equal((await alice.get(`/itwins/${itwin.id}/repositories`)).status, 404);
      // The rows themselves are gone, not only hidden behind the iTwin's 404.
      assert.deepEqual(await h.store.itwins.listRepositories(itwin.id, {}), []);
    });
  });
});
