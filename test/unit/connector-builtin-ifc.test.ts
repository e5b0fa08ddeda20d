import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BuiltinIfcConnector, builtinIfcUnavailable } from '../../src/connectors/builtin-ifc.js';
import { parseConnectorsConfig, type BuiltinSettings } from '../../src/connectors/config.js';
import { ConnectorFailure, type ConnectorInput } from '../../src/connectors/connector.js';
import { checkpointFileIn, checkpointsDirIn, imodelsDir } from '../../src/domain/imodels/imodel-file.js';
import { ONE_WALL_IFC, TWO_WALLS_IFC } from '../helpers/ifc-fixture.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-ifc-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
/** The same model in IFC2X3, the schema most files in the wild still use (walls have 8 attributes there). */
const IFC2X3 = TWO_WALLS_IFC.replace("FILE_SCHEMA(('IFC4'))", "FILE_SCHEMA(('IFC2X3'))")
  .replace(/^#50=IFCWALL\((.*),\$\);$/m, '#50=IFCWALLSTANDARDCASE($1);')
  .replace(/^#80=IFCWALL\((.*),\$\);$/m, '#80=IFCWALL($1);');
const IMODEL_ID = '5c2d9f0e-2a7b-4f5e-9b1c-0d3e4f5a6b7c';
const ITWIN_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CHECKPOINTS = checkpointsDirIn(imodelsDir(root), IMODEL_ID);

const settings = parseConnectorsConfig({ types: { IFC: { kind: 'builtin' } } }, 'test').types.IFC as BuiltinSettings;
/** iTwin.js is an optional dependency: where npm left it out, these tests are skipped, saying why. */
const unavailable = builtinIfcUnavailable();
const connector = unavailable ? undefined! : new BuiltinIfcConnector(settings, root);
let counter = 0;
/** The latest version: what the next task starts from (a failed task leaves it as it was). */
let head: { index: number; file: string | null } = { index: 0, file: null };

/** The changeset id a task would be given: 40 hex digits, the same for the same index. */
const changesetId = (index: number) => createHash('sha1').update(`changeset ${index}`).digest('hex');

function task(sourceFileId: string, content: string | null, overrides: Partial<ConnectorInput> = {}): ConnectorInput {
  const n = ++counter;
  const filePath = content === null ? null : path.join(root, `blob-${n}`);
  if (filePath) fs.writeFileSync(filePath, content!, 'latin1');
  const outputDir = path.join(root, 'work', `task-${n}`);
  fs.mkdirSync(outputDir, { recursive: true });
  return {
    action: content === null ? 'remove' : 'sync',
    connectorType: 'IFC',
    iModelId: IMODEL_ID,
    sourceFileId,
    storageFileId: `file-${sourceFileId}`,
    fileName: `${sourceFileId}.ifc`,
    filePath,
    size: content === null ? 0 : Buffer.byteLength(content, 'latin1'),
    contentHash: content === null ? null : createHash('sha256').update(content, 'latin1').digest('hex'),
    outputDir,
    attempt: 0,
    signal: new AbortController().signal,
    changeset: { id: changesetId(head.index + 1), index: head.index + 1, parentId: head.index === 0 ? '' : changesetId(head.index) },
    checkpoint: { base: head.file, target: checkpointFileIn(imodelsDir(root), IMODEL_ID, head.index + 1), iTwinId: ITWIN_ID },
    ...overrides,
  };
}

/** Runs a task that must succeed, as a worker would, and makes its file the latest version. */
async function commit(input: ConnectorInput) {
  const outcome = await connector.run(input);
  assert.deepEqual(outcome.checkpoint, { size: fs.statSync(input.checkpoint!.target).size });
  head = { index: input.changeset.index, file: input.checkpoint!.target };
  return outcome;
}

/** Rows of an ECSQL query on a version of the iModel (the latest by default), as arrays. */
async function query(ecsql: string, file = head.file!): Promise<unknown[][]> {
  const { IModelHost, SnapshotDb } = await import('@itwin/core-backend');
  const { startIModelHost } = await import('../../src/connectors/ifc/write-imodel.js');
  await startIModelHost(path.join(root, 'cache'));
  const db = SnapshotDb.openFile(file);
  try {
    return (await db.createQueryReader(ecsql).toArray()) as unknown[][];
  } finally {
    db.close();
    await IModelHost.shutdown();
  }
}

/** The names in the iModel's checkpoints folder: its versions, and nothing left half-written. */
const checkpointFiles = () => fs.readdirSync(CHECKPOINTS).sort();

/**
 * What a version of the iModel (the latest by default) holds: each element's label, IFC class (its
 * category) and source file (its model), the IFC facts kept in its JSON properties, and the ids
 * stamped into the file. Opened as a Snapshot iModel, as anything that serves it will.
 */
async function imodelContent(file = head.file!) {
  // Loaded here, not at the top: the module must load where iTwin.js is not installed.
  const { IModelHost, SnapshotDb } = await import('@itwin/core-backend');
  const { startIModelHost } = await import('../../src/connectors/ifc/write-imodel.js');
  await startIModelHost(path.join(root, 'cache'));
  const db = SnapshotDb.openFile(file);
  try {
    const stamp = { iModelId: db.iModelId, iTwinId: db.iTwinId, changeset: { id: db.changeset.id, index: db.changeset.index } };
    const physical = [...db.queryEntityIds({ from: 'BisCore.PhysicalElement' })].length;
    const rows = await db
      .createQueryReader(
        `SELECT e.UserLabel label, c.CodeValue category, p.CodeValue source, e.JsonProperties json
           FROM BisCore.PhysicalElement e
           JOIN BisCore.SpatialCategory c ON c.ECInstanceId = e.Category.Id
           JOIN BisCore.PhysicalPartition p ON p.ECInstanceId = e.Model.Id
          ORDER BY p.CodeValue, e.UserLabel`,
      )
      .toArray();
    const extents = db.projectExtents;
    const ifc = Object.fromEntries(rows.map((r) => [`${r[2]}: ${r[0]}`, JSON.parse(r[3] as string).ifc]));
    return { elements: rows.map((r) => `${r[2]}: ${r[0]} (${r[1]})`), extents, ifc, stamp, physical, rootSubject: db.rootSubject.name };
  } finally {
    db.close();
    await IModelHost.shutdown();
  }
}

describe('builtin IFC connector (web-ifc + iTwin.js)', { skip: unavailable }, () => {
  it('converts an IFC file into real elements of the iModel, one category per IFC class, Z up', async () => {
    const outcome = await commit(task('source-a', TWO_WALLS_IFC));
    const size = fs.statSync(checkpointFileIn(imodelsDir(root), IMODEL_ID, 1)).size;
    assert.equal(outcome.report.suggestedAction, 'None');
    assert.match(outcome.report.message, /Converted 'source-a\.ifc' \(IFC4\): 5 elements in 4 categories \(5 inserted, 0 updated, 0 unchanged, 0 deleted\)\./);
    assert.deepEqual(outcome.details, {
      conversion: {
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
        checkpoint: { size },
      },
      emulated: false,
    });
    const { elements, extents, ifc } = await imodelContent();
    assert.deepEqual(elements, ['source-a: Slab 1 (IfcSlab)', 'source-a: Wall 1 (IfcWall)', 'source-a: Wall 2 (IfcWall)']);
    // The IFC identity, the storey that contains it and its property sets travel with each element.
    assert.deepEqual(ifc['source-a: Wall 1'], {
      globalId: '2O2Fr$t4X7Zf8NOew3FLOH',
      class: 'IfcWall',
      expressId: 50,
      container: 'Level 1',
    });
    // Its property set: properties of its class, in a category named after the set, typed, measures with their unit.
    assert.deepEqual(
      await query(
        `SELECT e.UserLabel, e.Pset_WallCommon__IsExternal, e.Pset_WallCommon__FireRating, e.Pset_WallCommon__ThermalTransmittance, k.Name, g.DisplayLabel, d.DisplayLabel
           FROM TwinsyncIfcDynamic.IfcWall e
           JOIN meta.ECPropertyDef d ON d.Name = 'Pset_WallCommon__ThermalTransmittance'
           JOIN meta.ECClassDef c ON c.ECInstanceId = d.Class.Id AND c.Name = 'IfcWall'
           JOIN meta.KindOfQuantityDef k ON k.ECInstanceId = d.KindOfQuantity.Id
           JOIN meta.PropertyCategoryDef g ON g.ECInstanceId = d.Category.Id
          WHERE e.UserLabel = 'Wall 1'`,
      ),
      [['Wall 1', true, 'REI60', 0.24, 'ThermalTransmittance', 'Pset_WallCommon', 'ThermalTransmittance']],
    );
    assert.deepEqual(ifc['source-a: Slab 1'], { globalId: '3vB2YO$MX4xv5uCqZZG05x', class: 'IfcSlab', expressId: 70, container: 'Level 1' });
    // Wall 1 at the origin (4 × 0.2 × 3 m), the slab and wall 2 at x = 10 (slab 6 × 6 × 0.3 m).
    const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
    assert.ok(close(extents.low.x, -2) && close(extents.high.x, 13), `x ${extents.low.x}..${extents.high.x}`);
    assert.ok(close(extents.low.y, -3) && close(extents.high.y, 3), `y ${extents.low.y}..${extents.high.y}`);
    assert.ok(close(extents.low.z, 0) && close(extents.high.z, 3), `z ${extents.low.z}..${extents.high.z}`);
  });

  it('converting the same file again adds nothing and touches none of its elements', async () => {
    const outcome = await commit(task('source-a', TWO_WALLS_IFC));
    assert.match(outcome.report.message, /\(0 inserted, 0 updated, 5 unchanged, 0 deleted\)/);
    assert.equal((await imodelContent()).elements.length, 3);
  });

  it('writes each version as a new Snapshot iModel made from the previous one, stamped as the checkpoint of its changeset', async () => {
    assert.deepEqual(checkpointFiles(), ['1.bim', '2.bim']);
    for (const index of [1, 2]) {
      const version = await imodelContent(checkpointFileIn(imodelsDir(root), IMODEL_ID, index));
      assert.deepEqual(version.stamp, { iModelId: IMODEL_ID, iTwinId: ITWIN_ID, changeset: { id: changesetId(index), index } });
      assert.equal(version.elements.length, 3);
      // The first version started from an empty iModel named after the iModel; later ones keep it.
      assert.equal(version.rootSubject, IMODEL_ID);
    }
    await commit(task('source-b', ONE_WALL_IFC));
    assert.equal((await imodelContent()).elements.length, 4);
    assert.equal((await imodelContent(checkpointFileIn(imodelsDir(root), IMODEL_ID, 2))).elements.length, 3, 'an earlier version never changes');
    // The same task again (a worker died before recording it) writes the same version again.
    const again = task('source-b', ONE_WALL_IFC, {
      changeset: { id: changesetId(3), index: 3, parentId: changesetId(2) },
      checkpoint: { base: checkpointFileIn(imodelsDir(root), IMODEL_ID, 2), target: head.file!, iTwinId: ITWIN_ID },
    });
    await commit(again);
    assert.deepEqual((await imodelContent()).stamp.changeset, { id: changesetId(3), index: 3 });
    assert.equal((await imodelContent()).elements.length, 4);
    assert.deepEqual(checkpointFiles(), ['1.bim', '2.bim', '3.bim']);
  });

  it('keeps each source file’s content apart: a changed file replaces only its own, a removed one takes only its own', async () => {
    await commit(task('source-a', ONE_WALL_IFC)); // changed: the slab and wall 2 are gone from it
    assert.deepEqual((await imodelContent()).elements, ['source-a: Wall 1 (IfcWall)', 'source-b: Wall 1 (IfcWall)']);
    const removed = await commit(task('source-a', null));
    assert.match(removed.report.message, /Removed the 2 elements 'source-a\.ifc' had brought into the iModel\./);
    assert.deepEqual((await imodelContent()).elements, ['source-b: Wall 1 (IfcWall)']);
  });

  it('fails for good on a file that is not IFC, and leaves the iModel as it was', async () => {
    const error = await connector.run(task('source-c', 'PK\u0003\u0004 not a STEP file')).catch((e: unknown) => e);
    assert.ok(error instanceof ConnectorFailure, String(error));
    assert.equal(error.retryable, false);
    assert.equal(error.taskError.errorCode, 'TWINSYNC_CONNECTOR_EXIT');
    assert.match(error.taskError.details ?? '', /not an IFC \(STEP, ISO-10303-21\) file/);
    assert.deepEqual((await imodelContent()).elements, ['source-b: Wall 1 (IfcWall)']);
    assert.equal(fs.existsSync(checkpointFileIn(imodelsDir(root), IMODEL_ID, head.index + 1)), false, 'no new version');
    assert.deepEqual(checkpointFiles().at(-1), `${head.index}.bim`, 'nothing half-written either');
  });

  it('a converter stopped by its time limit fails the attempt (retried) and leaves the iModel as it was', async () => {
    const quick = new BuiltinIfcConnector(
      parseConnectorsConfig({ types: { IFC: { kind: 'builtin', timeoutMs: 200, killGraceMs: 100 } } }, 'test').types.IFC as BuiltinSettings,
      root,
    );
    const error = await quick.run(task('source-b', TWO_WALLS_IFC)).catch((e: unknown) => e);
    assert.ok(error instanceof ConnectorFailure, String(error));
    assert.equal(error.taskError.errorCode, 'TWINSYNC_CONNECTOR_TIMEOUT');
    assert.equal(error.retryable, true);
    assert.deepEqual((await imodelContent()).elements, ['source-b: Wall 1 (IfcWall)']);
    assert.equal(fs.existsSync(checkpointFileIn(imodelsDir(root), IMODEL_ID, head.index + 1)), false, 'no new version');
  });

  it('reads IFC2X3 files too', async () => {
    assert.match(IFC2X3, /#50=IFCWALLSTANDARDCASE\('2O2Fr\$t4X7Zf8NOew3FLOH',\$,'Wall 1',\$,\$,#30,#43,\$\);/);
    const outcome = await commit(task('source-2x3', IFC2X3));
    assert.match(outcome.report.message, /Converted 'source-2x3\.ifc' \(IFC2X3\): 5 elements in 5 categories \(5 inserted, /);
    const { elements } = await imodelContent();
    assert.deepEqual(
      elements.filter((e) => e.startsWith('source-2x3')),
      ['source-2x3: Slab 1 (IfcSlab)', 'source-2x3: Wall 1 (IfcWallStandardCase)', 'source-2x3: Wall 2 (IfcWall)'],
    );
    await commit(task('source-2x3', null));
  });

  it('checks the stored file first, as every connector does', async () => {
    const error = await connector.run(task('source-d', TWO_WALLS_IFC, { size: 5 })).catch((e: unknown) => e);
    assert.ok(error instanceof ConnectorFailure);
    assert.equal(error.taskError.errorCode, 'TWINSYNC_FILE_INCOMPLETE');
  });

  it('writes the empty baseline of an iModel: its ids, no changeset, no elements, in a child process', async () => {
    const { makeBaselineCheckpoint } = await import('../../src/connectors/ifc/baseline.js');
    const iModelId = '7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b';
    const written = await makeBaselineCheckpoint({ dataDir: root, iModelId, iTwinId: ITWIN_ID, name: 'Tower' });
    const file = checkpointFileIn(imodelsDir(root), iModelId, 0);
    assert.deepEqual(written, { size: fs.statSync(file).size, file });
    const baseline = await imodelContent(file);
    assert.deepEqual(
      { ...baseline.stamp, physical: baseline.physical, rootSubject: baseline.rootSubject },
      { iModelId, iTwinId: ITWIN_ID, changeset: { id: '', index: 0 }, physical: 0, rootSubject: 'Tower' },
    );
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['0.bim']);
    // The first real version can start from it.
    const first = task('source-a', ONE_WALL_IFC, {
      iModelId,
      changeset: { id: changesetId(1), index: 1, parentId: '' },
      checkpoint: { base: file, target: checkpointFileIn(imodelsDir(root), iModelId, 1), iTwinId: ITWIN_ID },
    });
    await connector.run(first);
    const version = await imodelContent(first.checkpoint!.target);
    assert.deepEqual([version.stamp.iModelId, version.elements, version.rootSubject], [iModelId, ['source-a: Wall 1 (IfcWall)'], 'Tower']);
  });

  it('is configured for IFC only', () => {
    assert.throws(() => parseConnectorsConfig({ types: { DWG: { kind: 'builtin' } } }, 'test'), /types\.DWG\.kind.*"builtin" converts IFC only/);
    assert.throws(() => parseConnectorsConfig({ default: { kind: 'builtin' } }, 'test'), /default\.kind.*"builtin" converts IFC only/);
    assert.throws(() => parseConnectorsConfig({ types: { IFC: { kind: 'builtin', outcomes: [] } } }, 'test'), /outcomes/);
  });
});

describe('iModel files (licence)', () => {
  it('twinsync writes Snapshot iModels only: no StandaloneDb or BriefcaseDb in src/', () => {
    const src = path.join(import.meta.dirname, '../../src');
    const found = fs
      .readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts') && /\b(StandaloneDb|BriefcaseDb)\b/.test(fs.readFileSync(path.join(src, name), 'utf8')));
    assert.deepEqual(found, []);
  });
});
