import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { builtinIfcUnavailable } from '../../src/connectors/builtin-ifc.js';
import type { Worker } from '../../src/worker/worker.js';
import { call } from '../helpers/api.js';
import { TWO_WALLS_IFC } from '../helpers/ifc-fixture.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { createBody, postCreate } from '../helpers/requests.js';
import { newContentVersion, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';

const unavailable = builtinIfcUnavailable();
// iTwin.js is an optional dependency: the builtin IFC connector (the one that writes checkpoints) needs it.
if (unavailable) describe('which versions have a model', { skip: unavailable }, () => {});

type Version = { changesetIndex: number; changesetId: string; model: string; namedVersion: { id: string; displayName: string } | null };

if (!unavailable)
  onEveryStore(
    'which versions have a model',
    // One checkpoint kept besides the latest: the second IFC sync prunes the first version's.
    { env: runEnv({ default: { kind: 'emulate', durationMs: 0 }, types: { IFC: { kind: 'builtin' } } }, { CHECKPOINTS_KEPT: '1' }) },
    ({ h }) => {
      let worker: Worker;
      before(() => {
        worker = startWorker(h);
      });
      after(() => worker?.stop(1000));

      async function run(connectionId: string) {
        const started = await startRun(h, connectionId);
        const { run } = await pollUntilCompleted(h, connectionId, runIdOf(started.headers.location as string), 60_000);
        assert.equal(run.result, 'Success', JSON.stringify(run.jobs));
      }
      const list = async (iModelId: string, query = '') => {
        const res = await call(h, 'GET', `/twinsync/imodels/${iModelId}/model-versions${query}`);
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as { versions: Version[]; _links: { next?: { href: string } } };
      };

      it('says for each changeset whether its model can be shown, and finds the newest that can in one request', async () => {
        // Changesets 1 and 2: IFC (a checkpoint each; 1's pruned by 2). Changeset 3: an emulated DWG connection (no checkpoint).
        const { itwin, iModelId, fileIds, connectionId } = await runnableConnection(h, ['tower.ifc']);
        await newContentVersion(h, fileIds[0]!, TWO_WALLS_IFC);
        await run(connectionId);
        await newContentVersion(h, fileIds[0]!, TWO_WALLS_IFC.replace("'Wall 2'", "'Wall 2 (renamed)'"));
        await run(connectionId);
        const body = createBody(iModelId, [await h.file(itwin, 'plan.dwg')], { authenticationType: 'Service' });
        body.sourceFiles[0]!.connectorType = 'DWG';
        const dwg = await postCreate(h, body);
        assert.equal(dwg.statusCode, 201, dwg.body);
        await run(dwg.json().connection.id as string);
        const named = await call(h, 'POST', `/imodels/${iModelId}/namedversions`, { body: { name: 'Renamed wall', changesetIndex: 2 } });
        assert.equal(named.statusCode, 201, named.body);

        const all = await list(iModelId);
        assert.deepEqual(
          all.versions.map((v) => [v.changesetIndex, v.model, v.namedVersion?.displayName ?? null]),
          [
            [1, 'pruned', null],
            [2, 'available', 'Renamed wall'],
            [3, 'noCheckpoint', null],
          ],
        );
        // The ids are the changesets list's.
        const changesets = (await call(h, 'GET', `/imodels/${iModelId}/changesets`)).json().changesets as { id: string; index: number }[];
        assert.deepEqual(
          all.versions.map((v) => v.changesetId),
          changesets.map((c) => c.id),
        );
        // The platform's own changesets list is unchanged: no field of twinsync's added to it.
        assert.ok(changesets.every((c) => !('model' in c)));

        // What the viewer asks without a version in its address.
        const newest = await list(iModelId, '?model=available&$orderBy=index%20desc&$top=1');
        assert.deepEqual(
          newest.versions.map((v) => v.changesetIndex),
          [2],
        );
        assert.equal(newest._links.next, undefined);
        // …and what each answer says agrees with the model operations: 409 for the others.
        for (const index of [1, 3]) {
          const res = await call(h, 'GET', `/twinsync/imodels/${iModelId}/changesets/${index}/categories`);
          assert.equal(res.statusCode, 409, `${index}: ${res.body}`);
          assert.equal(res.json().error.code, 'CheckpointNotAvailable');
        }
        // Paged as the changesets list is: newest first, one per page, following next.
        const first = await list(iModelId, '?$orderBy=index%20desc&$top=1');
        assert.deepEqual(
          first.versions.map((v) => v.changesetIndex),
          [3],
        );
        const next = new URL(first._links.next!.href);
        assert.match(next.pathname, /\/twinsync\/imodels\/[0-9a-f-]{36}\/model-versions$/);
        const second = await list(iModelId, next.search);
        assert.deepEqual(
          second.versions.map((v) => v.changesetIndex),
          [2],
        );
      });

      it('an iModel of emulated versions only has none available; a bad filter is 422; read as the changesets are', async () => {
        const { iModelId, connectionId } = await runnableConnection(h, ['plan.dwg'], { connectorType: 'DWG' });
        await run(connectionId);
        assert.deepEqual(
          (await list(iModelId)).versions.map((v) => [v.changesetIndex, v.model]),
          [[1, 'noCheckpoint']],
        );
        assert.deepEqual((await list(iModelId, '?model=available&$orderBy=index%20desc&$top=1')).versions, []);

        const bad = await call(h, 'GET', `/twinsync/imodels/${iModelId}/model-versions?model=all`);
        assert.equal(bad.statusCode, 422);
        assert.equal(bad.json().error.details[0].target, 'model');
        const url = `/twinsync/imodels/${iModelId}/model-versions`;
        assert.equal((await h.app.inject({ method: 'GET', url })).statusCode, 401);
        const outsider = await call(h, 'GET', url, { subject: 'mallory' });
        assert.equal(outsider.statusCode, 403);
        assert.equal(outsider.json().error.code, 'InsufficientPermissions');
        const missing = await call(h, 'GET', '/twinsync/imodels/00000000-0000-4000-8000-000000000000/model-versions');
        assert.equal(missing.statusCode, 404);
        assert.equal(missing.json().error.code, 'iModelNotFound');
      });
    },
  );
