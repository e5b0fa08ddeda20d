import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builtinIfcUnavailable } from '../../src/connectors/builtin-ifc.js';
import { checkpointFileIn, imodelsDir } from '../../src/domain/imodels/imodel-file.js';
import { UploadSigner } from '../../src/domain/storage/upload-signing.js';
import { loadDeploymentSecrets } from '../../src/auth/deployment-secrets.js';
import type { Worker } from '../../src/worker/worker.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { newIModel, newITwin, relative } from '../helpers/platform.js';
import { pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';
import { assertContinues } from '../helpers/paging.js';

const V2 = 'application/vnd.bentley.itwin-platform.v2+json';
const HEX40 = /^[0-9a-f]{40}$/;

/**
 * The iModels API's versions over what emulated runs made: changesets (one per successful task),
 * named versions, checkpoints and their signed downloads, the iModel's PATCH and its users.
 */
onEveryStore('versions', { env: runEnv() }, ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');
  const reader = client('reader', ['imodels:read']);
  let worker: Worker;
  /** An iModel of alice's with three changesets (one run over three files). */
  let fx: { iModelId: string; iTwinId: string; runId: string; taskIds: string[] };

  before(async () => {
    worker = startWorker(h);
    const { iModelId, itwin, connectionId } = await runnableConnection(h, ['a.dgn', 'b.dgn', 'c.dgn']);
    const started = await startRun(h, connectionId);
    assert.equal(started.statusCode, 202);
    const runId = runIdOf(started.headers.location as string);
    const { run } = await pollUntilCompleted(h, connectionId, runId);
    assert.equal(run.result, 'Success');
    const taskIds = run.jobs.flatMap((j: { tasks: { id: string }[] }) => j.tasks.map((t) => t.id));
    fx = { iModelId, iTwinId: itwin.id, runId, taskIds };
  });
  after(() => worker?.stop(1000));

  const base = () => `/imodels/${fx.iModelId}`;

  describe('GET …/changesets', () => {
    it('lists minimal changesets by index, linked as the client parses them', async () => {
      const res = await alice.get(`${base()}/changesets`, { accept: V2 });
      assert.equal(res.status, 200);
      const { changesets, _links } = res.json();
      assert.deepEqual(
        changesets.map((c: { index: number }) => c.index),
        [1, 2, 3],
      );
      const [first, second] = changesets;
      assert.match(first.id, HEX40);
      assert.deepEqual(first, {
        id: first.id,
        displayName: '1',
        description: first.description,
        index: 1,
        parentId: '',
        creatorId: 'alice',
        pushDateTime: first.pushDateTime,
        state: 'fileUploaded',
        containingChanges: first.containingChanges,
        fileSize: 0,
        briefcaseId: 2,
        groupId: null,
        _links: {
          self: { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/changesets/${first.id}` },
          creator: { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/users/alice` },
        },
      });
      assert.equal(second.parentId, first.id);
      assert.deepEqual(_links, { self: { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/changesets?$skip=0&$top=1000` } });
    });

    it('gives the representation on Prefer: return=representation', async () => {
      const res = await alice.get(`${base()}/changesets`, { prefer: 'return=representation' });
      assert.equal(res.headers['preference-applied'], 'return=representation');
      const first = res.json().changesets[0];
      assert.deepEqual(first.synchronizationInfo, { taskId: first.synchronizationInfo.taskId, changedFiles: [first.synchronizationInfo.changedFiles[0]] });
      assert.ok(fx.taskIds.includes(first.synchronizationInfo.taskId));
      assert.equal(typeof first.application.id, 'string');
      assert.deepEqual(first._links, {
        self: { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/changesets/${first.id}` },
        creator: { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/users/alice` },
        namedVersion: null,
        currentOrPrecedingCheckpoint: { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/changesets/1/checkpoint` },
        download: null,
        upload: null,
        complete: null,
      });
    });

    it('pages with next links while more remain, and filters by afterIndex, lastIndex and $orderBy', async () => {
      const seen: number[] = [];
      let url: string | undefined = `${base()}/changesets?$top=2`;
      let pages = 0;
      while (url) {
        const res = await alice.get(url);
        assert.equal(res.status, 200);
        seen.push(...res.json().changesets.map((c: { index: number }) => c.index));
        url = res.json()._links.next?.href;
        pages++;
      }
      assert.deepEqual(seen, [1, 2, 3]);
      assert.equal(pages, 2);
      const desc = await alice.get(`${base()}/changesets?$orderBy=index%20desc&$top=2`);
      assert.deepEqual(
        desc.json().changesets.map((c: { index: number }) => c.index),
        [3, 2],
      );
      assertContinues(desc.json()._links.next.href, `${PUBLIC_URL}/imodels/${fx.iModelId}/changesets?$orderBy=index%20desc&`, 2);
      const window = await alice.get(`${base()}/changesets?afterIndex=1&lastIndex=2`);
      assert.deepEqual(
        window.json().changesets.map((c: { index: number }) => c.index),
        [2],
      );
      const bad = await alice.get(`${base()}/changesets?$orderBy=pushDateTime&afterIndex=x`);
      assert.equal(bad.status, 422);
      assert.equal(bad.json().error.code, 'InvalidiModelsRequest');
      assert.deepEqual(
        bad.json().error.details.map((d: { target: string }) => d.target),
        ['afterIndex', '$orderBy'],
      );
    });
  });

  describe('GET …/changesets/{id or index}', () => {
    it('gets one by index and by id (any case); 404 ChangesetNotFound otherwise', async () => {
      const byIndex = await alice.get(`${base()}/changesets/2`);
      assert.equal(byIndex.status, 200);
      const { changeset } = byIndex.json();
      assert.equal(changeset.index, 2);
      assert.equal(changeset._links.namedVersion, null);
      const byId = await alice.get(`${base()}/changesets/${changeset.id.toUpperCase()}`);
      assert.equal(byId.json().changeset.index, 2);
      for (const key of ['0', '4', '00000000000000000000000000000000000000000', 'abc', 'f'.repeat(40), '1.5', '-1']) {
        const res = await alice.get(`${base()}/changesets/${key}`);
        assert.equal(res.status, 404, key);
        assert.deepEqual(res.json(), { error: { code: 'ChangesetNotFound', message: 'Requested Changeset is not available.' } });
      }
    });
  });

  describe('named versions', () => {
    it('creates one on a changeset (201), lists, gets and updates it; one per changeset (409)', async () => {
      const second = (await alice.get(`${base()}/changesets/2`)).json().changeset;
      const created = await alice.post(`${base()}/namedversions`, { name: 'Milestone', description: 'second', changesetId: second.id });
      assert.equal(created.status, 201, created.body);
      const { namedVersion } = created.json();
      assert.deepEqual(namedVersion, {
        id: namedVersion.id,
        displayName: 'Milestone',
        changesetId: second.id,
        changesetIndex: 2,
        name: 'Milestone',
        description: 'second',
        createdDateTime: namedVersion.createdDateTime,
        state: 'visible',
        application: { id: 'twinsync', name: 'twinsync' },
        _links: {
          creator: { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/users/alice` },
          changeset: { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/changesets/${second.id}` },
        },
      });
      assert.equal(created.headers.location, `${PUBLIC_URL}/imodels/${fx.iModelId}/namedversions/${namedVersion.id}`);

      const again = await alice.post(`${base()}/namedversions`, { name: 'Again', changesetIndex: 2 });
      assert.equal(again.status, 409);
      assert.equal(again.json().error.code, 'NamedVersionOnChangesetExists');

      const changeset = (await alice.get(`${base()}/changesets/2`)).json().changeset;
      assert.deepEqual(changeset._links.namedVersion, { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/namedversions/${namedVersion.id}` });

      const baseline = await alice.post(`${base()}/namedversions`, { name: 'Start' });
      assert.equal(baseline.status, 201);
      assert.deepEqual(
        [baseline.json().namedVersion.changesetId, baseline.json().namedVersion.changesetIndex, baseline.json().namedVersion._links.changeset],
        [null, 0, null],
      );

      const minimal = await alice.get(`${base()}/namedversions`);
      assert.deepEqual(minimal.json().namedVersions, [
        { id: baseline.json().namedVersion.id, displayName: 'Start', changesetId: null, changesetIndex: 0 },
        { id: namedVersion.id, displayName: 'Milestone', changesetId: second.id, changesetIndex: 2 },
      ]);
      const desc = await alice.get(`${base()}/namedversions?$orderBy=changesetIndex desc&$top=1`, { prefer: 'return=representation' });
      assert.equal(desc.json().namedVersions[0].name, 'Milestone');
      assert.ok(desc.json()._links.next);
      assert.deepEqual(
        (await alice.get(`${base()}/namedversions?name=Start`)).json().namedVersions.map((v: { id: string }) => v.id),
        [baseline.json().namedVersion.id],
      );

      const got = await alice.get(`${base()}/namedversions/${namedVersion.id}`);
      assert.deepEqual(got.json().namedVersion, namedVersion);
      const patched = await alice.patch(`${base()}/namedversions/${namedVersion.id}`, { name: 'Renamed', state: 'hidden' });
      assert.equal(patched.status, 200, patched.body);
      assert.deepEqual(
        [patched.json().namedVersion.name, patched.json().namedVersion.description, patched.json().namedVersion.state],
        ['Renamed', 'second', 'hidden'],
      );
      const cleared = await alice.patch(`${base()}/namedversions/${namedVersion.id}`, { description: null });
      assert.equal(cleared.json().namedVersion.description, null);
    });

    it('filters by state and by $search in name or description (ignoring case, % and _ literal), orders by createdDateTime', async () => {
      const ids = async (q: string) =>
        (await alice.get(`${base()}/namedversions?${q}`)).json().namedVersions.map((v: { displayName: string }) => v.displayName);
      // From the test above: 'Milestone' (renamed 'Renamed', hidden) was created before 'Start' (the baseline, visible).
      const start = (await alice.get(`${base()}/namedversions?name=Start`)).json().namedVersions[0];
      assert.equal((await alice.patch(`${base()}/namedversions/${start.id}`, { description: 'Kick-off at 100%' })).status, 200);
      assert.deepEqual(await ids('state=hidden'), ['Renamed']);
      assert.deepEqual(await ids('state=visible'), ['Start']);
      assert.deepEqual(await ids('$search=ENAM'), ['Renamed']);
      assert.deepEqual(await ids('$search=kick-OFF'), ['Start']);
      assert.deepEqual(await ids(`$search=${encodeURIComponent('100%')}`), ['Start']);
      assert.deepEqual(await ids(`$search=${encodeURIComponent('%')}`), ['Start']);
      assert.deepEqual(await ids('$search=_'), []);
      assert.deepEqual(await ids('$search=Start&state=hidden'), []);
      assert.deepEqual(await ids('$orderBy=changesetIndex'), ['Start', 'Renamed']);
      assert.deepEqual(await ids('$orderBy=createdDateTime'), ['Renamed', 'Start']);
      assert.deepEqual(await ids('$orderBy=createdDateTime desc'), ['Start', 'Renamed']);
      const page = (await alice.get(`${base()}/namedversions?$orderBy=createdDateTime desc&$search=a&$top=1`)).json();
      assert.match(page._links.next.href, /\$search=a/);
      assert.match(page._links.next.href, /\$orderBy=createdDateTime(%20|\+)desc/);

      const bad = await alice.get(`${base()}/namedversions?state=gone&$orderBy=name`);
      assert.equal(bad.status, 422);
      assert.deepEqual(
        bad.json().error.details.map((d: { target: string }) => d.target),
        ['$orderBy', 'state'],
      );
    });

    it('422 for bad bodies (every problem at once), 404 for unknown changesets and named versions', async () => {
      const bad = await alice.post(`${base()}/namedversions`, { name: '', changesetId: 'xyz', changesetIndex: -1 });
      assert.equal(bad.status, 422);
      assert.equal(bad.json().error.code, 'InvalidiModelsRequest');
      assert.deepEqual(
        bad.json().error.details.map((d: { code: string; target: string }) => `${d.code}:${d.target}`),
        ['MissingRequiredProperty:name', 'InvalidValue:changesetId', 'InvalidValue:changesetIndex'],
      );
      const malformed = await alice.request('POST', `${base()}/namedversions`, '{"name":', { 'content-type': 'application/json' });
      assert.equal(malformed.status, 422);
      const first = (await alice.get(`${base()}/changesets/1`)).json().changeset;
      const disagree = await alice.post(`${base()}/namedversions`, { name: 'x', changesetId: first.id, changesetIndex: 3 });
      assert.equal(disagree.status, 422);
      const unknown = await alice.post(`${base()}/namedversions`, { name: 'x', changesetId: 'a'.repeat(40) });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.json().error.code, 'ChangesetNotFound');
      assert.equal((await alice.post(`${base()}/namedversions`, { name: 'x', changesetIndex: 9 })).json().error.code, 'ChangesetNotFound');
      for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
        const res = await alice.get(`${base()}/namedversions/${id}`);
        assert.equal(res.status, 404);
        assert.equal(res.json().error.code, 'NamedVersionNotFound');
        assert.equal((await alice.patch(`${base()}/namedversions/${id}`, { name: 'y' })).status, 404);
      }
      const listed = (await alice.get(`${base()}/namedversions?$top=1`)).json().namedVersions[0];
      const badPatch = await alice.patch(`${base()}/namedversions/${listed.id}`, { name: null, state: 'gone', description: 5 });
      assert.equal(badPatch.status, 422);
      assert.deepEqual(
        badPatch.json().error.details.map((d: { target: string }) => d.target),
        ['name', 'description', 'state'],
      );
      const notObject = await alice.patch(`${base()}/namedversions/${listed.id}`, [1]);
      assert.equal(notObject.status, 422);
    });
  });

  describe('checkpoints', () => {
    it('answers the baseline for changesets without a file, and its file through a signed URL with ranges', async () => {
      const itwin = await newITwin(alice);
      const iModelId = await newIModel(alice, itwin.id);
      // The baseline as the builtin connector's converter would leave it (emulated runs write none).
      const file = checkpointFileIn(imodelsDir(h.config.dataDir), iModelId, 0);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const content = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
      fs.writeFileSync(file, content);
      const latest = await alice.get(`/imodels/${iModelId}/briefcases/checkpoint`);
      assert.equal(latest.status, 200, latest.body);
      const { checkpoint } = latest.json();
      assert.deepEqual(
        { ...checkpoint, _links: undefined },
        {
          changesetId: '',
          changesetIndex: 0,
          size: 1000,
          state: 'successful',
          dbName: '0.bim',
          directoryAccessInfo: null,
          _links: undefined,
        },
      );
      assert.deepEqual((await alice.get(`/imodels/${iModelId}/checkpoint`)).json().checkpoint.size, 1000);
      const href: string = checkpoint._links.download.href;
      assert.match(href, new RegExp(`^${PUBLIC_URL}/imodels/${iModelId}/checkpoints/0/file\\?expires=\\d+&signature=[\\w-]+$`));

      const whole = await h.app.inject({ method: 'GET', url: relative(href) });
      assert.equal(whole.statusCode, 200);
      assert.equal(whole.headers['content-type'], 'application/octet-stream');
      assert.equal(whole.headers['content-length'], '1000');
      assert.equal(whole.headers['accept-ranges'], 'bytes');
      assert.deepEqual(whole.rawPayload, content);
      const cases: [string, number, string, Buffer][] = [
        ['bytes=10-19', 206, 'bytes 10-19/1000', content.subarray(10, 20)],
        ['bytes=990-', 206, 'bytes 990-999/1000', content.subarray(990)],
        ['bytes=-5', 206, 'bytes 995-999/1000', content.subarray(995)],
        ['bytes=900-5000', 206, 'bytes 900-999/1000', content.subarray(900)],
      ];
      for (const [range, status, contentRange, body] of cases) {
        const res = await h.app.inject({ method: 'GET', url: relative(href), headers: { range } });
        assert.equal(res.statusCode, status, range);
        assert.equal(res.headers['content-range'], contentRange, range);
        assert.equal(res.headers['content-length'], String(body.length), range);
        assert.deepEqual(res.rawPayload, body, range);
      }
      const past = await h.app.inject({ method: 'GET', url: relative(href), headers: { range: 'bytes=1000-' } });
      assert.equal(past.statusCode, 416);
      assert.equal(past.headers['content-range'], 'bytes */1000');
      const several = await h.app.inject({ method: 'GET', url: relative(href), headers: { range: 'bytes=0-1,5-6' } });
      assert.equal(several.statusCode, 200, 'several ranges: the whole file');

      // A wrong or expired signature is 403 in the error shape; no bearer token is needed, none helps.
      const tampered = href.replace(/signature=./, (s) => `signature=${s.endsWith('A') ? 'B' : 'A'}`);
      const refused = await h.app.inject({ method: 'GET', url: relative(tampered) });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().error.code, 'AuthenticationFailed');
      const signer = UploadSigner.withSecret((await loadDeploymentSecrets(h.store.deployment, h.config.dataDir)).uploadUrls, 60);
      const expires = Math.floor(Date.now() / 1000) - 1;
      const expired = `/imodels/${iModelId}/checkpoints/0/file?expires=${expires}&signature=${signer.signGrant('checkpoint', [iModelId, '0'], expires)}`;
      const late = await h.app.inject({ method: 'GET', url: expired });
      assert.equal(late.statusCode, 403);
      assert.match(late.json().error.message, /expired/);
      const otherIndex = await h.app.inject({ method: 'GET', url: relative(href).replace('/checkpoints/0/', '/checkpoints/1/') });
      assert.equal(otherIndex.statusCode, 403, 'a URL signs one checkpoint');

      // Gone since the URL was given: 404 CheckpointNotFound.
      fs.rmSync(file);
      const gone = await h.app.inject({ method: 'GET', url: relative(href) });
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().error.code, 'CheckpointNotFound');
    });

    it('is the current-or-preceding checkpoint of a changeset and of a named version', async () => {
      const byIndex = await alice.get(`${base()}/changesets/3/checkpoint`);
      assert.equal(byIndex.status, 200, byIndex.body);
      assert.deepEqual([byIndex.json().checkpoint.changesetIndex, byIndex.json().checkpoint.changesetId], [0, '']);
      const { checkpoint } = byIndex.json();
      if (builtinIfcUnavailable()) {
        // No iTwin.js: the baseline cannot be written, so it is not generated and has no link.
        assert.deepEqual([checkpoint.state, checkpoint.size, checkpoint._links.download], ['notGenerated', 0, null]);
      } else {
        // Written on this first request, by iTwin.js in a child process; then downloadable.
        assert.equal(checkpoint.state, 'successful');
        assert.ok(checkpoint.size > 0);
        const file = await h.app.inject({ method: 'GET', url: relative(checkpoint._links.download.href), headers: { range: 'bytes=0-15' } });
        assert.equal(file.statusCode, 206);
        assert.equal(file.rawPayload.toString('latin1'), 'SQLite format 3\0');
        assert.equal((await alice.get(`${base()}/changesets/1/checkpoint`)).json().checkpoint.size, checkpoint.size, 'written once');
      }
      assert.equal((await alice.get(`${base()}/changesets/7/checkpoint`)).json().error.code, 'ChangesetNotFound');
      const version = (await alice.get(`${base()}/namedversions?$top=1`)).json().namedVersions[0];
      const ofVersion = await alice.get(`${base()}/namedversions/${version.id}/checkpoint`);
      assert.equal(ofVersion.status, 200);
      assert.equal(ofVersion.json().checkpoint.changesetIndex, 0);
    });
  });

  describe('PATCH /imodels/{id}', () => {
    it('changes name, description and extent; names stay unique in the iTwin (409); 422 for bad bodies', async () => {
      const itwin = await newITwin(alice);
      const id = await newIModel(alice, itwin.id, 'before');
      await newIModel(alice, itwin.id, 'taken');
      const extent = { southWest: { latitude: 1, longitude: 2 }, northEast: { latitude: 3, longitude: 4 } };
      const res = await alice.patch(`/imodels/${id}`, { name: 'after', description: 'd', extent });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(
        [res.json().iModel.name, res.json().iModel.displayName, res.json().iModel.description, res.json().iModel.extent],
        ['after', 'after', 'd', extent],
      );
      assert.equal((await alice.get(`/imodels/${id}`)).json().iModel.name, 'after');
      assert.equal((await alice.patch(`/imodels/${id}`, { name: 'after' })).status, 200, 'its own name');
      const clash = await alice.patch(`/imodels/${id}`, { name: 'taken' });
      assert.equal(clash.status, 409);
      assert.equal(clash.json().error.code, 'iModelExists');
      const bad = await alice.patch(`/imodels/${id}`, { name: ' ', extent: { southWest: { latitude: 100, longitude: 0 } } });
      assert.equal(bad.status, 422);
      assert.equal(bad.json().error.code, 'InvalidiModelsRequest');
      assert.equal((await bob.patch(`/imodels/${id}`, { name: 'x' })).status, 403);
      assert.equal((await alice.patch('/imodels/00000000-0000-4000-8000-000000000000', { name: 'x' })).status, 404);
    });

    it('shows dataCenterLocation, and its creator link answers a user', async () => {
      const { iModel } = (await alice.get(base())).json();
      assert.equal(iModel.dataCenterLocation, 'East US');
      assert.equal(iModel._links.creator.href, `${PUBLIC_URL}/imodels/${fx.iModelId}/users/alice`);
      const user = await alice.get(relative(iModel._links.creator.href));
      assert.equal(user.status, 200, user.body);
      assert.deepEqual(user.json().user, {
        id: 'alice',
        displayName: 'alice',
        _links: { self: { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/users/alice` } },
        givenName: '',
        surname: '',
        email: '',
        statistics: {
          pushedChangesetsCount: 3,
          lastChangesetPushDate: user.json().user.statistics.lastChangesetPushDate,
          createdVersionsCount: user.json().user.statistics.createdVersionsCount,
          briefcasesCount: 0,
          applications: [],
        },
      });
      const users = await alice.get(`${base()}/users`);
      assert.deepEqual(users.json().users, [
        { id: 'alice', displayName: 'alice', _links: { self: { href: `${PUBLIC_URL}/imodels/${fx.iModelId}/users/alice` } } },
      ]);
      const stranger = await alice.get(`${base()}/users/nobody`);
      assert.equal(stranger.status, 404);
      assert.equal(stranger.json().error.code, 'UserNotFound');
    });
  });

  describe('who may', () => {
    it('answers a non-member as GET /imodels/{id} does (403), an unknown iModel 404 iModelNotFound', async () => {
      const version = (await alice.get(`${base()}/namedversions?$top=1`)).json().namedVersions[0];
      const urls = [
        '/changesets',
        '/changesets/1',
        '/changesets/1/checkpoint',
        '/namedversions',
        `/namedversions/${version.id}`,
        `/namedversions/${version.id}/checkpoint`,
        '/briefcases/checkpoint',
        '/checkpoint',
        '/users',
        '/users/alice',
      ];
      assert.equal((await bob.get(base())).status, 403);
      for (const url of urls) {
        const res = await bob.get(`${base()}${url}`);
        assert.equal(res.status, 403, url);
        assert.equal(res.json().error.code, 'InsufficientPermissions', url);
        const unknown = await alice.get(`/imodels/00000000-0000-4000-8000-000000000000${url}`);
        assert.equal(unknown.status, 404, url);
        assert.equal(unknown.json().error.code, 'iModelNotFound', url);
      }
      assert.equal((await bob.post(`${base()}/namedversions`, { name: 'x' })).status, 403);
    });

    it('needs imodels:read to read and imodels:modify to write', async () => {
      const itwin = await newITwin(alice);
      const iModelId = await newIModel(alice, itwin.id);
      const added = await alice.post(`/accesscontrol/itwins/${itwin.id}/members`, { members: [{ userId: 'reader' }] });
      assert.ok(added.status === 201 || added.status === 200, added.body);
      assert.equal((await reader.get(`/imodels/${iModelId}/changesets`)).status, 200);
      const write = await reader.post(`/imodels/${iModelId}/namedversions`, { name: 'x' });
      assert.equal(write.status, 401);
      assert.equal(write.json().error.code, 'RequiredScopeMissing');
      assert.equal((await reader.patch(`/imodels/${iModelId}`, { name: 'x' })).status, 401);
    });
  });
});
