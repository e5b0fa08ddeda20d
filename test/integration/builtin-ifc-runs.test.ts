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

      it("the iModel's configuration reaches the converter: ignoreIfcGlobalIds and clampZExtent, as they are when each run starts", async () => {
        const { iModelId, fileIds, connectionId } = await runnableConnection(h, ['model.ifc']);
        const conversionOf = async () => {
          const result = await run(connectionId);
          assert.equal(result.result, 'Success', JSON.stringify(result.jobs));
          const { inserted, updated, unchanged, deleted, warnings } = result.jobs[0].tasks[0].details.conversion;
          return { counts: { inserted, updated, unchanged, deleted }, codes: (warnings as { code: string }[]).map((w) => w.code) };
        };
        await newContentVersion(h, fileIds[0]!, TWO_WALLS_IFC);
        assert.deepEqual(await conversionOf(), { counts: { inserted: 5, updated: 0, unchanged: 0, deleted: 0 }, codes: [] });

        const configured = await call(h, 'POST', `/synchronization/configurations/imodels/${iModelId}`, { body: { ignoreIfcGlobalIds: true } });
        assert.equal(configured.statusCode, 201, configured.body);
        // Wall 2 renamed: by their place in the file, the five elements are new (identified by GlobalId before).
        await newContentVersion(h, fileIds[0]!, TWO_WALLS_IFC.replace("'Wall 2'", "'Wall 2b'"));
        assert.deepEqual(await conversionOf(), { counts: { inserted: 5, updated: 0, unchanged: 0, deleted: 5 }, codes: ['IdentityChanged'] });

        // A re-export with a new GlobalId for Wall 1: matched by its place, updated in place.
        await newContentVersion(
          h,
          fileIds[0]!,
          TWO_WALLS_IFC.replace("'Wall 2'", "'Wall 2b'").replace("IFCWALL('2O2Fr$t4X7Zf8NOew3FLOH'", "IFCWALL('2ZzzyYxXwWvVuUtTsSrRqQ'"),
        );
        assert.deepEqual(await conversionOf(), { counts: { inserted: 0, updated: 1, unchanged: 4, deleted: 0 }, codes: [] });

        // clampZExtent: a file whose only wall stands 100 km up cannot be limited, and the report says so.
        const patched = await call(h, 'PATCH', `/synchronization/configurations/imodels/${iModelId}`, { body: { clampZExtent: true } });
        assert.equal(patched.statusCode, 200, patched.body);
        const strayOnly = TWO_WALLS_IFC.split('\n')
          .filter((line) => !/^#(50|70|9[0-4])=/.test(line))
          .join('\n')
          .replace('(#50,#70,#80),#95', '(#80),#95')
          .replace(
            '#31=IFCLOCALPLACEMENT($,#15);',
            '#31=IFCLOCALPLACEMENT($,#22);\n#21=IFCCARTESIANPOINT((0.,0.,100000.));\n#22=IFCAXIS2PLACEMENT3D(#21,#11,#12);',
          );
        await newContentVersion(h, fileIds[0]!, strayOnly);
        const clamped = await conversionOf();
        assert.deepEqual(clamped.codes, ['ProjectExtents']);
      });

      it('other connector types stay emulated', async () => {
        const { connectionId } = await runnableConnection(h, ['plan.dwg'], { connectorType: 'DWG' });
        const result = await run(connectionId);
        assert.equal(result.result, 'Success');
        assert.equal(result.jobs[0].tasks[0].details.emulated, true);
      });
    },
  );
