import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builtinIfcUnavailable } from '../../src/connectors/builtin-ifc.js';
import type { Worker } from '../../src/worker/worker.js';
import { call } from '../helpers/api.js';
import { ONE_WALL_IFC, TWO_WALLS_IFC } from '../helpers/ifc-fixture.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { newContentVersion, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';

const unavailable = builtinIfcUnavailable();
// iTwin.js is an optional dependency: where npm left it out, say so instead of failing.
if (unavailable) describe('runs with the builtin IFC connector', { skip: unavailable }, () => {});

/** Runs whose IFC tasks really convert (CONNECTORS: IFC builtin), through the API and a worker. */
if (!unavailable)
  onEveryStore(
    'runs with the builtin IFC connector',
    { env: runEnv({ default: { kind: 'emulate', durationMs: 0 }, types: { IFC: { kind: 'builtin' } } }) },
    ({ h }) => {
      let worker: Worker;
      before(() => {
        worker = startWorker(h);
      });
      after(() => worker?.stop(1000));

      async function run(connectionId: string) {
        const started = await startRun(h, connectionId);
        assert.equal(started.statusCode, 202);
        const { run } = await pollUntilCompleted(h, connectionId, runIdOf(started.headers.location as string), 60_000);
        return run;
      }

      it('converts the file into the iModel, and a later run with changed content replaces what it brought', async () => {
        const { iModelId, fileIds, connectionId } = await runnableConnection(h, ['tower.ifc']);
        await newContentVersion(h, fileIds[0]!, TWO_WALLS_IFC);
        const first = await run(connectionId);
        assert.equal(first.result, 'Success');
        const task = first.jobs[0].tasks[0];
        assert.equal(task.details.emulated, false);
        // Each version is a Snapshot iModel of its own, the checkpoint of its changeset.
        const versions = path.join(h.config.dataDir, 'imodels', iModelId, 'checkpoints');
        const firstFile = path.join(versions, '1.bim');
        assert.deepEqual(task.details.conversion, {
          emulated: false,
          converter: 'web-ifc + iTwin.js',
          schema: 'IFC4',
          elements: 5,
          categories: 4,
          inserted: 5,
          updated: 0,
          unchanged: 0,
          deleted: 0,
          warnings: [],
          productsWithoutGeometry: 0,
          checkpoint: { size: fs.statSync(firstFile).size },
        });
        assert.equal(
          task.details.synchronizationReport.message,
          "Converted 'tower.ifc' (IFC4): 5 elements in 4 categories (5 inserted, 0 updated, 0 unchanged, 0 deleted).",
        );

        await newContentVersion(h, fileIds[0]!, ONE_WALL_IFC);
        const second = await run(connectionId);
        assert.equal(second.result, 'Success');
        // Wall 1 stays (it lost its storey and property set: updated in place); the slab and wall 2 go.
        const { elements, inserted, updated, unchanged, deleted } = second.jobs[0].tasks[0].details.conversion;
        assert.deepEqual({ elements, inserted, updated, unchanged, deleted }, { elements: 2, inserted: 0, updated: 1, unchanged: 1, deleted: 3 });
        assert.ok(fs.existsSync(path.join(versions, '2.bim')) && fs.existsSync(firstFile), 'a new file for the new version; the first stays');

        assert.equal((await call(h, 'DELETE', `/imodels/${iModelId}`)).statusCode, 204);
        assert.equal(fs.existsSync(path.join(h.config.dataDir, 'imodels', iModelId)), false, 'deleting the iModel deletes its versions');
      });

      it('a file that is not IFC fails its task at once with the converter’s reason', async () => {
        const { connectionId } = await runnableConnection(h, ['broken.ifc']); // content: "content of broken.ifc"
        const result = await run(connectionId);
        assert.equal(result.result, 'Error');
        const task = result.jobs[0].tasks[0];
        assert.equal(task.retryAttempts, 0, 'no retry: the same file cannot convert next time either');
        assert.equal(task.error.errorCode, 'TWINSYNC_CONNECTOR_EXIT');
        assert.match(task.error.details, /not an IFC \(STEP, ISO-10303-21\) file/);
      });

      it('other connector types stay emulated', async () => {
        const { connectionId } = await runnableConnection(h, ['plan.dwg'], { connectorType: 'DWG' });
        const result = await run(connectionId);
        assert.equal(result.result, 'Success');
        assert.equal(result.jobs[0].tasks[0].details.emulated, true);
      });
    },
  );
