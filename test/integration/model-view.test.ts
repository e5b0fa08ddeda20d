import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builtinIfcUnavailable } from '../../src/connectors/builtin-ifc.js';
import type { ApiError } from '../../src/domain/errors.js';
import { MODEL_VIEW_FILES, modelViewKey } from '../../src/domain/model-view/model.js';
import type { ModelExporter } from '../../src/domain/model-view/model-exporter.js';
import { ModelExports } from '../../src/domain/model-view/model-exports.js';
import { modelExporter } from '../../src/model-view/model-exporter.js';
import type { Worker } from '../../src/worker/worker.js';
import { call } from '../helpers/api.js';
import { readGlb } from '../helpers/glb.js';
import { TWO_WALLS_IFC } from '../helpers/ifc-fixture.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { newContentVersion, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';

const unavailable = builtinIfcUnavailable();
// iTwin.js is an optional dependency: where npm left it out, say so instead of failing.
if (unavailable) describe('the model of a version', { skip: unavailable }, () => {});

/** The GlobalIds of two-walls.ifc's products with a body: Wall 1, the slab, Wall 2. */
const WALL_1 = '2O2Fr$t4X7Zf8NOew3FLOH';
const SLAB = '3vB2YO$MX4xv5uCqZZG05x';
const WALL_2 = '1hOSvn6df7F8_7GcBWlRGQ';

const base = (iModelId: string, changeset: string | number) => `/twinsync/imodels/${iModelId}/changesets/${changeset}`;

if (!unavailable)
  onEveryStore(
    'the model of a version',
    // One checkpoint kept besides the latest: a re-sync prunes the version before it.
    { env: runEnv({ default: { kind: 'emulate', durationMs: 0 }, types: { IFC: { kind: 'builtin' } } }, { CHECKPOINTS_KEPT: '1' }) },
    ({ h }) => {
      let worker: Worker;
      before(() => {
        worker = startWorker(h);
      });
      after(() => worker?.stop(1000));

      async function sync(connectionId: string, fileId: string, content: string) {
        await newContentVersion(h, fileId, content);
        const started = await startRun(h, connectionId);
        const { run } = await pollUntilCompleted(h, connectionId, runIdOf(started.headers.location as string), 60_000);
        assert.equal(run.result, 'Success', JSON.stringify(run.jobs));
        return run;
      }

      it('exports the graphics of a version as glTF, once: every element with geometry is a node named by its id', async () => {
        const { iModelId, fileIds, connectionId } = await runnableConnection(h, ['tower.ifc']);
        await sync(connectionId, fileIds[0]!, TWO_WALLS_IFC);
        const url = `${base(iModelId, 1)}/graphics.glb`;

        const started = Date.now();
        const first = await call(h, 'GET', url);
        const firstMs = Date.now() - started;
        assert.equal(first.statusCode, 200, first.body);
        assert.equal(first.headers['content-type'], 'model/gltf-binary');
        const { gltf, elementIds, bounds, triangles } = readGlb(first.rawPayload);
        assert.equal(elementIds.length, 3, 'two walls and a slab; the project and the storey have no geometry');
        assert.equal(triangles, 36, 'three boxes of 12 triangles');
        // The fixture spans x −2…13, y −3…3, z 0…3 (metres, Z up): centred on (5.5, 0, 1.5) and turned Y up.
        const offset = gltf.asset.extras!.offset as number[];
        assert.ok(Math.abs(offset[0]! - 5.5) < 1e-6 && Math.abs(offset[1]!) < 1e-6 && Math.abs(offset[2]! - 1.5) < 1e-6, JSON.stringify(offset));
        const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) < 1e-5);
        assert.ok(near(bounds.min, [-7.5, -1.5, -3]) && near(bounds.max, [7.5, 1.5, 3]), JSON.stringify(bounds));

        // Kept in the blob store under the iModel's prefix, summary last: the next request reads it from there.
        for (const file of Object.values(MODEL_VIEW_FILES)) assert.ok(await h.blobs.head(modelViewKey(iModelId, 1, file)), file);
        const again = Date.now();
        const second = await call(h, 'GET', url);
        const secondMs = Date.now() - again;
        assert.equal(second.statusCode, 200);
        assert.ok(second.rawPayload.equals(first.rawPayload), 'the same bytes');
        assert.ok(secondMs < firstMs, `served from the blob store (${secondMs} ms) rather than exported again (${firstMs} ms)`);
        const etag = second.headers.etag as string;
        assert.match(etag, /^"m1-[0-9a-f]{40}"$/);
        const notModified = await call(h, 'GET', url, { headers: { 'if-none-match': etag } });
        assert.equal(notModified.statusCode, 304);
        assert.equal(notModified.rawPayload.length, 0);
        const range = await call(h, 'GET', url, { headers: { range: 'bytes=0-11' } });
        assert.equal(range.statusCode, 206);
        assert.ok(range.rawPayload.equals(first.rawPayload.subarray(0, 12)));

        // The elements of the graphics, one for one, with the IFC file's GlobalIds.
        const listed = await call(h, 'GET', `${base(iModelId, 1)}/elements`);
        assert.equal(listed.statusCode, 200, listed.body);
        const { elements, offset: listedOffset } = listed.json();
        assert.deepEqual(listedOffset, offset);
        assert.deepEqual(new Set(elements.map((e: { id: string }) => e.id)), new Set(elementIds));
        const byGlobalId = new Map(elements.map((e: { globalId: string }) => [e.globalId, e]));
        assert.deepEqual(new Set(byGlobalId.keys()), new Set([WALL_1, SLAB, WALL_2]));
        const wall = byGlobalId.get(WALL_1) as Record<string, unknown> & { id: string };
        assert.equal(wall.className, 'TwinsyncIfcDynamic:IfcWall');
        assert.equal(wall.label, 'Wall 1');
        assert.equal(wall.externalId, WALL_1);
        assert.match(wall.federationGuid as string, /^[0-9a-f-]{36}$/);
        assert.deepEqual(wall.category, { id: (wall.category as { id: string }).id, name: 'IfcWall' });
        assert.equal((wall.model as { name: string }).name, 'tower.ifc', 'the model is named after its source file');

        const categories = (await call(h, 'GET', `${base(iModelId, 1)}/categories`)).json().categories;
        assert.deepEqual(
          categories.map((c: { name: string; elementCount: number; spaces: boolean }) => [c.name, c.elementCount, c.spaces]),
          [
            ['IfcSlab', 1, false],
            ['IfcWall', 2, false],
          ],
        );

        // One element in full: its IFC class, GlobalId and the property set the file gives it, with units.
        const details = await call(h, 'GET', `${base(iModelId, 1)}/elements/${wall.id}`);
        assert.equal(details.statusCode, 200, details.body);
        const element = details.json().element;
        assert.equal(element.className, 'TwinsyncIfcDynamic:IfcWall');
        assert.equal(element.globalId, WALL_1);
        const property = (name: string) => element.properties.find((p: { name: string }) => p.name === name);
        assert.deepEqual(property('IfcClass'), { group: 'IFC Element', name: 'IfcClass', label: 'IFC Class', value: 'IfcWall' });
        assert.deepEqual(property('Pset_WallCommon__FireRating'), {
          group: 'Pset_WallCommon',
          name: 'Pset_WallCommon__FireRating',
          label: 'FireRating',
          value: 'REI60',
        });
        assert.equal(property('Pset_WallCommon__ThermalTransmittance').value, 0.24);
        assert.equal(property('Pset_WallCommon__ThermalTransmittance').unit, 'W/(m²·ΔK)');
        assert.equal(property('ContainedIn').value, 'Level 1', 'a navigation property names its target');
        // Upper-case hexadecimal names the same element; anything else names none.
        assert.equal((await call(h, 'GET', `${base(iModelId, 1)}/elements/${wall.id.toUpperCase().replace('0X', '0x')}`)).statusCode, 200);
        for (const missing of ['0xfffffff', 'wall', '0x']) {
          const res = await call(h, 'GET', `${base(iModelId, 1)}/elements/${missing}`);
          assert.equal(res.statusCode, 404, missing);
          assert.equal(res.json().error.code, 'ElementNotFound');
        }
      });

      it('after a re-sync that changed one wall, that wall is updated and the others unchanged; the pruned version is gone', async () => {
        const { iModelId, fileIds, connectionId } = await runnableConnection(h, ['tower.ifc']);
        await sync(connectionId, fileIds[0]!, TWO_WALLS_IFC);
        assert.equal((await call(h, 'GET', `${base(iModelId, 1)}/elements`)).statusCode, 200, 'exported before the re-sync');
        // Wall 2 renamed: its label changed, nothing else.
        await sync(connectionId, fileIds[0]!, TWO_WALLS_IFC.replace("'Wall 2'", "'Wall 2 (renamed)'"));

        const elements = (await call(h, 'GET', `${base(iModelId, 2)}/elements`)).json().elements as { id: string; globalId: string; label: string }[];
        const wall2 = elements.find((e) => e.globalId === WALL_2)!;
        assert.equal(wall2.label, 'Wall 2 (renamed)');
        const res = await call(h, 'GET', `${base(iModelId, 2)}/changes`);
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json().changes, {
          changesetIndex: 2,
          sinceChangesetIndex: 1,
          unrecordedChangesets: [],
          inserted: [],
          updated: [{ id: wall2.id, what: ['property'], properties: ['userLabel'] }],
          deleted: [],
        });
        // Since the baseline: everything is new (inserted, then updated, folds to inserted).
        const sinceBaseline = (await call(h, 'GET', `${base(iModelId, 2)}/changes?since=0`)).json().changes;
        assert.equal(sinceBaseline.inserted.length, 5, 'the three products, the project and the storey');
        assert.ok(elements.every((e) => sinceBaseline.inserted.includes(e.id)));
        assert.deepEqual(sinceBaseline.updated, []);
        for (const since of ['2', '3', '-1', 'x']) {
          const bad = await call(h, 'GET', `${base(iModelId, 2)}/changes?since=${since}`);
          assert.equal(bad.statusCode, 422, since);
          assert.equal(bad.json().error.details[0].target, 'since');
        }

        // CHECKPOINTS_KEPT=1: the first version's checkpoint was pruned, and its export with it.
        assert.equal(await h.blobs.head(modelViewKey(iModelId, 1, MODEL_VIEW_FILES.summary)), undefined);
        const pruned = await call(h, 'GET', `${base(iModelId, 1)}/graphics.glb`);
        assert.equal(pruned.statusCode, 409);
        assert.equal(pruned.json().error.code, 'CheckpointNotAvailable');
        assert.match(pruned.json().error.message, /pruned/);
        // What changed in it is still known: the records are not the checkpoint.
        assert.equal((await call(h, 'GET', `${base(iModelId, 1)}/changes`)).json().changes.inserted.length, 5);
      });

      it('concurrent first requests in one process export once; an export stopped by its time limit keeps nothing', async () => {
        const { iModelId, fileIds, connectionId } = await runnableConnection(h, ['tower.ifc']);
        await sync(connectionId, fileIds[0]!, TWO_WALLS_IFC);
        const changeset = (await h.store.versions.findChangeset(iModelId, { index: 1 }))!;
        const dataDir = h.config.dataDir;
        const summary = modelViewKey(iModelId, 1, MODEL_VIEW_FILES.summary);

        const without = new ModelExports(h.store, h.blobs, undefined, dataDir);
        await assert.rejects(
          without.file(iModelId, changeset, MODEL_VIEW_FILES.graphics),
          (e: ApiError) => e.status === 501 && e.code === 'ModelExportUnavailable',
        );

        // Stopped after 50 ms (iTwin.js alone takes seconds to start): 500, nothing stored, no work folder left.
        const failures: unknown[] = [];
        const hasty = new ModelExports(h.store, h.blobs, modelExporter({ dataDir, timeoutMs: 50, failed: (_, e) => failures.push(e) }), dataDir);
        await assert.rejects(hasty.file(iModelId, changeset, MODEL_VIEW_FILES.graphics), (e: ApiError) => e.status === 500 && e.code === 'ModelExportFailed');
        assert.match(String(failures[0]), /did not finish within 50 ms/);
        assert.equal(await h.blobs.head(summary), undefined);
        assert.deepEqual(fs.readdirSync(path.join(dataDir, 'work', 'model-view')), []);

        let exports = 0;
        const real = modelExporter({ dataDir });
        const counting: ModelExporter = {
          unavailable: () => real.unavailable(),
          export: (request) => {
            exports++;
            return real.export(request);
          },
        };
        const once = new ModelExports(h.store, h.blobs, counting, dataDir);
        const files = await Promise.all([1, 2, 3].map(() => once.file(iModelId, changeset, MODEL_VIEW_FILES.graphics)));
        assert.equal(exports, 1, 'one export for three requests');
        assert.ok(files.every((f) => f.size === files[0]!.size && f.etag === files[0]!.etag));
        assert.ok(await h.blobs.head(summary));
        // Another instance (another process) finds it in the blob store: no export, even without an exporter.
        assert.equal((await without.file(iModelId, changeset, MODEL_VIEW_FILES.graphics)).size, files[0]!.size);
        assert.equal(exports, 1);
      });

      it('a version without a checkpoint of its own (emulated) has no model: 409; its changes are unknown', async () => {
        const { iModelId, connectionId } = await runnableConnection(h, ['plan.dwg'], { connectorType: 'DWG' });
        const started = await startRun(h, connectionId);
        await pollUntilCompleted(h, connectionId, runIdOf(started.headers.location as string));
        for (const path of ['graphics.glb', 'elements', 'categories', 'elements/0x1']) {
          const res = await call(h, 'GET', `${base(iModelId, 1)}/${path}`);
          assert.equal(res.statusCode, 409, path);
          assert.equal(res.json().error.code, 'CheckpointNotAvailable');
          assert.match(res.json().error.message, /no checkpoint of its own/);
        }
        const changes = (await call(h, 'GET', `${base(iModelId, 1)}/changes`)).json().changes;
        assert.deepEqual(changes.unrecordedChangesets, [1]);
        assert.deepEqual(changes.inserted, []);
      });

      it('is read as the iModel’s changesets are: 401 without a token, 403 outside its iTwin, 404 for no such iModel or version', async () => {
        const { iModelId } = await runnableConnection(h, ['model.ifc']);
        const url = `${base(iModelId, 1)}/graphics.glb`;
        assert.equal((await h.app.inject({ method: 'GET', url })).statusCode, 401);
        const outsider = await call(h, 'GET', url, { subject: 'mallory' });
        assert.equal(outsider.statusCode, 403);
        assert.equal(outsider.json().error.code, 'InsufficientPermissions');
        const noVersion = await call(h, 'GET', url);
        assert.equal(noVersion.statusCode, 404);
        assert.equal(noVersion.json().error.code, 'ChangesetNotFound');
        for (const path of ['elements', 'categories', 'changes', 'elements/0x1']) {
          assert.equal((await call(h, 'GET', `${base(iModelId, 'abc')}/${path}`)).json().error.code, 'ChangesetNotFound', path);
        }
        const noIModel = await call(h, 'GET', `${base('00000000-0000-4000-8000-000000000000', 1)}/elements`);
        assert.equal(noIModel.statusCode, 404);
        assert.equal(noIModel.json().error.code, 'iModelNotFound');
      });
    },
  );
