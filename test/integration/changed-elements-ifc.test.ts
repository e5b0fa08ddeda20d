import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builtinIfcUnavailable } from '../../src/connectors/builtin-ifc.js';
import type { Worker } from '../../src/worker/worker.js';
import { call } from '../helpers/api.js';
import { TWO_WALLS_IFC } from '../helpers/ifc-fixture.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { newContentVersion, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';

const unavailable = builtinIfcUnavailable();
if (unavailable) describe('changed elements of IFC re-syncs', { skip: unavailable }, () => {});

const INSERTED = 18;
const UPDATED = 23;
const DELETED = 9;

/**
 * The fixture re-exported: Wall 1 renamed, Wall 2 gone, a Wall 3 (new GlobalId) standing where
 * Wall 2 stood. The slab and the storey are as they were.
 */
const RESYNCED_IFC = TWO_WALLS_IFC.replace("'Wall 1'", "'Wall 1 (renamed)'")
  .replace("#80=IFCWALL('1hOSvn6df7F8_7GcBWlRGQ',$,'Wall 2'", "#81=IFCWALL('0dQ1XzN7b3VwG6e2LqXy9P',$,'Wall 3'")
  .replace('(#50,#70,#80),#95', '(#50,#70,#81),#95');
/** Then Wall 3 renamed as well. */
const THIRD_IFC = RESYNCED_IFC.replace("'Wall 3'", "'Wall 3b'");

/** Element ids by name (user label or code value) in a version's file, read with iTwin.js. */
async function namesIn(file: string): Promise<Map<string, string>> {
  const { IModelHost, SnapshotDb } = await import('@itwin/core-backend');
  const { startIModelHost } = await import('../../src/connectors/ifc/write-imodel.js');
  await startIModelHost(path.join(os.tmpdir(), 'twinsync-test-imodelhost'));
  try {
    const db = SnapshotDb.openFile(file);
    try {
      const ids = new Map<string, string>();
      for (const id of db.queryEntityIds({ from: 'BisCore.GeometricElement3d' })) {
        const props = db.elements.getElementProps(id);
        const name = props.userLabel ?? props.code.value;
        if (name) ids.set(name, id);
      }
      return ids;
    } finally {
      db.close();
    }
  } finally {
    await IModelHost.shutdown();
  }
}

if (!unavailable)
  onEveryStore(
    'changed elements of IFC re-syncs',
    { env: runEnv({ default: { kind: 'emulate', durationMs: 0 }, types: { IFC: { kind: 'builtin' } } }) },
    ({ h }) => {
      let worker: Worker;
      before(() => {
        worker = startWorker(h);
      });
      after(() => worker?.stop(1000));

      it('a re-sync answers exactly which walls it added, changed and removed; a range folds its changesets', async () => {
        const { iModelId, itwin, fileIds, connectionId } = await runnableConnection(h, ['tower.ifc']);
        const q = (start: string, end: string) =>
          `/changedelements/comparison?iModelId=${iModelId}&iTwinId=${itwin.id}&startChangesetId=${start}&endChangesetId=${end}`;
        const enabled = await call(h, 'PUT', '/changedelements/tracking', { body: { enable: true, iModelId, iTwinId: itwin.id } });
        assert.equal(enabled.statusCode, 202);
        const sync = async (content: string) => {
          await newContentVersion(h, fileIds[0]!, content);
          const started = await startRun(h, connectionId);
          const { run } = await pollUntilCompleted(h, connectionId, runIdOf(started.headers.location as string), 60_000);
          assert.equal(run.result, 'Success', JSON.stringify(run.jobs));
          return run.jobs[0].tasks[0].details.changesetId as string;
        };
        const first = await sync(TWO_WALLS_IFC);
        const second = await sync(RESYNCED_IFC);
        const third = await sync(THIRD_IFC);
        const statuses = (await call(h, 'GET', `/changedelements/changesets?iModelId=${iModelId}&iTwinId=${itwin.id}`)).json().changesetStatus;
        assert.deepEqual(statuses, [
          { id: first, index: 1, ready: true },
          { id: second, index: 2, ready: true },
          { id: third, index: 3, ready: true },
        ]);

        const checkpoints = path.join(h.config.dataDir, 'imodels', iModelId, 'checkpoints');
        const v1 = await namesIn(path.join(checkpoints, '1.bim'));
        const v2 = await namesIn(path.join(checkpoints, '2.bim'));
        const wall1 = v1.get('Wall 1')!;
        const wall2 = v1.get('Wall 2')!;
        const wall3 = v2.get('Wall 3')!;
        assert.ok(wall1 && wall2 && wall3, JSON.stringify([...v1, ...v2]));
        assert.equal(v2.get('Wall 1 (renamed)'), wall1, 'updated in place: the same element');

        // The first sync: every element inserted, with its class, model and (no) parent.
        const all = (await call(h, 'GET', q(first, first))).json().changedElements;
        assert.equal(all.elements.length, 5);
        assert.ok(all.opcodes.every((o: number) => o === INSERTED));
        assert.ok(all.elements.includes(wall1) && all.elements.includes(wall2));
        for (const key of ['classIds', 'modelIds', 'parentIds', 'parentClassIds', 'type', 'properties', 'oldChecksums', 'newChecksums'])
          assert.equal(all[key].length, 5, key);
        assert.ok(all.classIds.every((id: string) => /^0x[0-9a-f]+$/.test(id)));
        const at1 = all.elements.indexOf(wall1);
        assert.match(all.modelIds[at1], /^0x[0-9a-f]+$/);

        // The re-sync: Wall 1 changed (a property), Wall 3 added, Wall 2 removed; nothing else.
        const res = await call(h, 'GET', q(second, second));
        assert.equal(res.statusCode, 200, res.body);
        const changed = res.json().changedElements;
        const byElement = new Map<string, number>(changed.elements.map((id: string, i: number) => [id, i]));
        assert.deepEqual(
          new Map([...byElement].map(([id, i]) => [id, changed.opcodes[i]])),
          new Map([
            [wall1, UPDATED],
            [wall3, INSERTED],
            [wall2, DELETED],
          ]),
        );
        const i1 = byElement.get(wall1)!;
        // Its name is its user label: that property changed, neither its geometry nor its placement.
        assert.equal(changed.type[i1], 1);
        assert.deepEqual(changed.properties[i1], ['userLabel']);
        assert.equal(changed.oldChecksums[i1].length, changed.properties[i1].length);
        assert.notDeepEqual(changed.oldChecksums[i1], changed.newChecksums[i1]);
        assert.equal(changed.classIds[byElement.get(wall2)!], all.classIds[all.elements.indexOf(wall2)], 'a deleted element keeps its class');
        assert.equal(changed.modelIds[byElement.get(wall3)!], all.modelIds[at1], 'the new wall is in the file’s model');

        // Over the three: Wall 2 came and went (nothing), Wall 1 is an insertion, Wall 3 too (inserted, then updated).
        const range = (await call(h, 'GET', q(first, third))).json().changedElements;
        assert.equal(range.elements.length, 5);
        assert.ok(!range.elements.includes(wall2));
        assert.ok(range.elements.includes(wall3) && range.elements.includes(wall1));
        assert.ok(range.opcodes.every((o: number) => o === INSERTED));
        // The last two: Wall 1 updated, Wall 3 inserted (its rename folded in), Wall 2 deleted.
        const last = (await call(h, 'GET', q(second, third))).json().changedElements;
        assert.deepEqual(
          new Map(last.elements.map((id: string, i: number) => [id, last.opcodes[i]])),
          new Map([
            [wall1, UPDATED],
            [wall3, INSERTED],
            [wall2, DELETED],
          ]),
        );
        // Just the third: Wall 3 updated.
        const only = (await call(h, 'GET', q(third, third))).json().changedElements;
        assert.deepEqual(only.elements, [wall3]);
        assert.deepEqual(only.opcodes, [UPDATED]);
      });
    },
  );
