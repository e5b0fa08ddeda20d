import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IModelsClient, NamedVersionState, toArray, type Authorization, type Changeset } from '@itwin/imodels-client-management';
import { builtinIfcUnavailable } from '../../src/connectors/builtin-ifc.js';
import type { Worker } from '../../src/worker/worker.js';
import { ONE_WALL_IFC, TWO_WALLS_IFC } from '../helpers/ifc-fixture.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { createBody, postCreate } from '../helpers/requests.js';
import { newContentVersion, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';
import { freePort } from '../helpers/server-process.js';

const unavailable = builtinIfcUnavailable();
/** The port of the suite's server (each store's suite picks its own before it starts). */
let port = 0;
if (unavailable) describe('the real iModels client over synchronized versions', { skip: unavailable }, () => {});

/**
 * Bentley's own iModels client (`@itwin/imodels-client-management`) against a listening twinsync:
 * two runs of a changed IFC file (really converted) and one of emulated files give changesets, a
 * named version on the first, and checkpoints that download and open with iTwin.js as snapshots
 * holding what each version held.
 */
if (!unavailable)
  onEveryStore(
    'the real iModels client over synchronized versions',
    {
      env: async () => {
        port = await freePort();
        return runEnv({ default: { kind: 'emulate', durationMs: 0 }, types: { IFC: { kind: 'builtin' } } }, { PUBLIC_URL: `http://127.0.0.1:${port}` });
      },
    },
    ({ h }) => {
      let worker: Worker;
      let client: IModelsClient;
      let authorization: () => Promise<Authorization>;
      const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-checkpoints-'));

      before(async () => {
        await h.app.listen({ port, host: '127.0.0.1' });
        worker = startWorker(h);
        client = new IModelsClient({ api: { baseUrl: `http://127.0.0.1:${port}/imodels` } });
        const token = await h.token();
        authorization = async () => ({ scheme: 'Bearer', token });
      });
      after(async () => {
        await worker?.stop(1000);
        fs.rmSync(downloads, { recursive: true, force: true });
      });

      async function run(connectionId: string) {
        const started = await startRun(h, connectionId);
        assert.equal(started.statusCode, 202);
        const { run } = await pollUntilCompleted(h, connectionId, runIdOf(started.headers.location as string), 60_000);
        assert.equal(run.result, 'Success', JSON.stringify(run));
        return run;
      }

      /** Downloads a checkpoint from its link and reads it with iTwin.js, as a snapshot. */
      async function openCheckpoint(href: string, name: string) {
        const res = await fetch(href);
        assert.equal(res.status, 200);
        const file = path.join(downloads, name);
        fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
        const { readSnapshot } = await import('../helpers/snapshot.js');
        return readSnapshot(file);
      }

      it('lists, gets, names and downloads the versions that runs made', async () => {
        const { iModelId, itwin, fileIds, connectionId } = await runnableConnection(h, ['tower.ifc']);
        await newContentVersion(h, fileIds[0]!, TWO_WALLS_IFC);
        const first = await run(connectionId);
        await newContentVersion(h, fileIds[0]!, ONE_WALL_IFC);
        const second = await run(connectionId);
        // Three emulated files through another connection of the same iModel: three more changesets.
        const emulated = [];
        for (const name of ['a.dwg', 'b.dwg', 'c.dwg']) emulated.push(await h.file(itwin, name));
        const body = createBody(iModelId, emulated, { authenticationType: 'Service' });
        for (const file of body.sourceFiles) file.connectorType = 'DWG';
        const created = await postCreate(h, body);
        assert.equal(created.statusCode, 201, created.body);
        await run(created.json().connection.id);

        // Changesets, minimal and representation, through pages of 2 (the client follows `next`).
        const minimal = await toArray(client.changesets.getMinimalList({ authorization, iModelId, urlParams: { $top: 2 } }));
        assert.deepEqual(
          minimal.map((c) => c.index),
          [1, 2, 3, 4, 5],
        );
        assert.ok(minimal.every((c) => /^[0-9a-f]{40}$/.test(c.id) && c.state === 'fileUploaded'));
        assert.deepEqual(
          minimal.map((c) => c.parentId),
          ['', ...minimal.slice(0, 4).map((c) => c.id)],
        );
        const full: Changeset[] = await toArray(client.changesets.getRepresentationList({ authorization, iModelId }));
        const firstTask = first.jobs[0].tasks[0];
        const secondTask = second.jobs[0].tasks[0];
        assert.deepEqual(full[0]!.synchronizationInfo, { taskId: firstTask.id, changedFiles: ['tower.ifc'] });
        assert.deepEqual(full[1]!.synchronizationInfo, { taskId: secondTask.id, changedFiles: ['tower.ifc'] });
        assert.equal(firstTask.details.changesetId, full[0]!.id, 'the task names its changeset');
        assert.equal(full[0]!.description, "Synchronized 'tower.ifc' (IFC4): 5 elements inserted, 0 updated, 0 deleted, 0 unchanged.");
        assert.equal(full[1]!.description, "Synchronized 'tower.ifc' (IFC4): 0 elements inserted, 1 updated, 3 deleted, 1 unchanged.");
        assert.match(full[2]!.description, /emulated/i);
        const newestFirst = await toArray(
          client.changesets.getMinimalList({ authorization, iModelId, urlParams: { $orderBy: { property: 'index', operator: 'desc' } as never } }),
        );
        assert.deepEqual(
          newestFirst.map((c) => c.index),
          [5, 4, 3, 2, 1],
        );
        const window = await toArray(client.changesets.getMinimalList({ authorization, iModelId, urlParams: { afterIndex: 1, lastIndex: 3 } }));
        assert.deepEqual(
          window.map((c) => c.index),
          [2, 3],
        );

        // One changeset, by index and by id.
        const byIndex = await client.changesets.getSingle({ authorization, iModelId, changesetIndex: 2 });
        const byId = await client.changesets.getSingle({ authorization, iModelId, changesetId: full[1]!.id });
        assert.equal(byIndex.id, full[1]!.id);
        assert.equal(byId.index, 2);

        // A named version on the first changeset; listed, read and updated.
        const named = await client.namedVersions.create({
          authorization,
          iModelId,
          namedVersionProperties: { name: 'Two walls', description: 'as first synchronized', changesetId: full[0]!.id },
        });
        assert.equal(named.changesetIndex, 1);
        assert.equal(named.state, NamedVersionState.Visible);
        const listed = await toArray(client.namedVersions.getRepresentationList({ authorization, iModelId }));
        assert.deepEqual(
          listed.map((v) => [v.id, v.name, v.changesetId]),
          [[named.id, 'Two walls', full[0]!.id]],
        );
        const updated = await client.namedVersions.update({
          authorization,
          iModelId,
          namedVersionId: named.id,
          namedVersionProperties: { name: 'First', state: NamedVersionState.Hidden } as never,
        });
        assert.deepEqual([updated.name, updated.description, updated.state], ['First', 'as first synchronized', 'hidden']);
        assert.equal((await client.namedVersions.getSingle({ authorization, iModelId, namedVersionId: named.id })).name, 'First');
        assert.equal((await named.getChangeset())?.index, 1);

        // Checkpoints: the named version's still shows the first content; the latest (emulated
        // changesets bring no file) is the second version's.
        const ofNamed = await client.checkpoints.getSingle({ authorization, iModelId, namedVersionId: named.id });
        assert.deepEqual([ofNamed.changesetIndex, ofNamed.changesetId, ofNamed.state], [1, full[0]!.id, 'successful']);
        const firstFile = await openCheckpoint(ofNamed._links.download!.href, 'first.bim');
        assert.deepEqual(firstFile, { iModelId, changesetId: full[0]!.id, changesetIndex: 1, physicalElements: 3 });
        const latest = await client.checkpoints.getSingle({ authorization, iModelId });
        assert.deepEqual([latest.changesetIndex, latest.changesetId], [2, full[1]!.id]);
        const ofFifth = await client.checkpoints.getSingle({ authorization, iModelId, changesetIndex: 5 });
        assert.equal(ofFifth.changesetIndex, 2, 'current or preceding');
        const secondFile = await openCheckpoint(latest._links.download!.href, 'second.bim');
        assert.deepEqual(secondFile, { iModelId, changesetId: full[1]!.id, changesetIndex: 2, physicalElements: 1 });

        // The iModel itself: renamed through the client.
        const renamed = await client.iModels.update({
          authorization,
          iModelId,
          iModelProperties: { name: 'Renamed tower', description: 'after two syncs' } as never,
        });
        assert.deepEqual([renamed.name, renamed.description], ['Renamed tower', 'after two syncs']);
        assert.equal((await client.iModels.getSingle({ authorization, iModelId })).name, 'Renamed tower');
      });

      it('gives an iModel with no real content an empty baseline checkpoint', async () => {
        const itwin = await h.itwin();
        const iModelId = await h.imodel(itwin);
        const baseline = await client.checkpoints.getSingle({ authorization, iModelId });
        assert.deepEqual([baseline.changesetIndex, baseline.changesetId, baseline.state], [0, '', 'successful']);
        const file = await openCheckpoint(baseline._links.download!.href, 'baseline.bim');
        assert.deepEqual(file, { iModelId, changesetId: '', changesetIndex: 0, physicalElements: 0 });
      });

      it('writes the baseline once when several clients ask for it at the same time', async () => {
        const itwin = await h.itwin();
        const iModelId = await h.imodel(itwin);
        const answers = await Promise.all([1, 2, 3, 4].map(() => client.checkpoints.getSingle({ authorization, iModelId })));
        assert.deepEqual(
          answers.map((a) => [a.changesetIndex, a.state]),
          [1, 2, 3, 4].map(() => [0, 'successful']),
        );
        // One file, nothing half-written beside it.
        assert.deepEqual(fs.readdirSync(path.join(h.config.dataDir, 'imodels', iModelId, 'checkpoints')), ['0.bim']);
        const file = await openCheckpoint(answers[3]!._links.download!.href, 'baseline-concurrent.bim');
        assert.equal(file.iModelId, iModelId);
      });
    },
  );
