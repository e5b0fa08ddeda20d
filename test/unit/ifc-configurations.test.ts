import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ConnectorOutcome } from '../../src/connectors/connector.js';
import { guidOfGlobalId } from '../../src/connectors/ifc/ifc-guid.js';
import { pathIdentifiers } from '../../src/connectors/ifc/path-identity.js';
import { CLAMP_Z_METRES } from '../../src/connectors/ifc/project-extents.js';
import { IfcHarness, ifcUnavailable } from '../helpers/ifc-connector-harness.js';
import { TWO_WALLS_IFC } from '../helpers/ifc-fixture.js';

/**
 * The configuration flags the builtin IFC connector honours (docs/connectors.md, "Configurations"):
 * clampZExtent limits the project extents' Z, ignoreIfcGlobalIds identifies elements by their place
 * in the file's tree instead of their GlobalIds. Both given as a worker gives them, in the task's
 * resolved settings, to the real connector and its warm converter.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-ifc-cfg-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const CLAMP = { clampZExtent: true };
const IGNORE = { ignoreIfcGlobalIds: true };

/** One warm converter for every iModel of this file: starting one costs 2 to 3 s. */
let first: IfcHarness | undefined;
function newIModel(): IfcHarness {
  const harness = new IfcHarness(root, randomUUID(), undefined, first);
  first ??= harness;
  return harness;
}

/** Inserts lines before the end of the DATA section. */
const withLines = (text: string, lines: string[]) => text.replace(/\nENDSEC;\nEND-ISO-10303-21;/, `\n${lines.join('\n')}\nENDSEC;\nEND-ISO-10303-21;`);

/** The fixture with a third wall 100 km above the others (a stray element), contained in the same storey. */
const STRAY_IFC = withLines(TWO_WALLS_IFC.replace('(#50,#70,#80),#95', '(#50,#70,#80,#85),#95'), [
  '#21=IFCCARTESIANPOINT((0.,0.,100000.));',
  '#22=IFCAXIS2PLACEMENT3D(#21,#11,#12);',
  '#32=IFCLOCALPLACEMENT($,#22);',
  "#85=IFCWALL('0fA8bc$Lz1QwRT5uVxYz9K',$,'Stray wall',$,$,#32,#43,$,$);",
]);

/** Only the stray wall has geometry: the whole model lies beyond the limit. */
const ONLY_STRAY_IFC = withLines(
  TWO_WALLS_IFC.split('\n')
    .filter((line) => !/^#(50|70|80|9[0-4])=/.test(line))
    .join('\n')
    .replace('(#50,#70,#80),#95', '(#85),#95'),
  [
    '#21=IFCCARTESIANPOINT((0.,0.,100000.));',
    '#22=IFCAXIS2PLACEMENT3D(#21,#11,#12);',
    '#32=IFCLOCALPLACEMENT($,#22);',
    "#85=IFCWALL('0fA8bc$Lz1QwRT5uVxYz9K',$,'Stray wall',$,$,#32,#43,$,$);",
  ],
);

/** A project and a storey, nothing with geometry: no XY range to limit. */
const NO_GEOMETRY_IFC = TWO_WALLS_IFC.split('\n')
  .filter((line) => !/^#(50|70|80|9[0-4]|96)=/.test(line))
  .join('\n');

/** Every GlobalId of the fixture's elements replaced, as an exporter that regenerates them writes the same model again. */
const REGENERATED_IFC = TWO_WALLS_IFC.replace("IFCPROJECT('0YvctVUKr0kugbFTf53O9L'", "IFCPROJECT('1AbcdEfGhIjKlMnOpQrStU'")
  .replace("IFCWALL('2O2Fr$t4X7Zf8NOew3FLOH'", "IFCWALL('2ZzzyYxXwWvVuUtTsSrRqQ'")
  .replace("IFCSLAB('3vB2YO$MX4xv5uCqZZG05x'", "IFCSLAB('0PpOoNnMmLlKkJjIiHhGgF'")
  .replace("IFCWALL('1hOSvn6df7F8_7GcBWlRGQ'", "IFCWALL('1EeDdCcBbAa9z8y7x6w5v4'")
  .replace("IFCBUILDINGSTOREY('0B3NqOVo59KOuYnZ1a6M_W'", "IFCBUILDINGSTOREY('3u3t3s3r3q3p3o3n3m3l3k'");

/** Wall 2 given Wall 1's GlobalId: a file whose GlobalIds are not unique. */
const DUPLICATED_IFC = TWO_WALLS_IFC.replace("IFCWALL('1hOSvn6df7F8_7GcBWlRGQ'", "IFCWALL('2O2Fr$t4X7Zf8NOew3FLOH'");

/** The project, the storey, two walls and a slab. */
const ELEMENTS = 5;

const conversion = (outcome: ConnectorOutcome) =>
  outcome.details?.conversion as { inserted: number; updated: number; unchanged: number; deleted: number; warnings: { code: string; message: string }[] };
const counts = (outcome: ConnectorOutcome) => {
  const { inserted, updated, unchanged, deleted } = conversion(outcome);
  return { inserted, updated, unchanged, deleted };
};
const warningCodes = (outcome: ConnectorOutcome) => conversion(outcome).warnings.map((w) => w.code);

describe('builtin IFC connector: clampZExtent', { skip: ifcUnavailable }, () => {
  it('limits the project extents Z to 8,849 m only when the flag is set; XY and the elements stay', async () => {
    const plain = newIModel();
    await plain.sync('sf-1', 'stray.ifc', STRAY_IFC);
    const unclamped = await plain.projectExtents();
    // The stray wall (3 m tall, 100 km up) is in the extents without the flag.
    assert.ok(unclamped.high.z > 100_002, JSON.stringify(unclamped));

    const clamped = newIModel();
    const outcome = await clamped.sync('sf-1', 'stray.ifc', STRAY_IFC, CLAMP);
    const extents = await clamped.projectExtents();
    assert.equal(extents.high.z, CLAMP_Z_METRES);
    assert.ok(Math.abs(extents.low.z - unclamped.low.z) < 1e-6, `the low Z is the elements' lowest: ${JSON.stringify(extents)}`);
    assert.deepEqual([extents.low.x, extents.low.y, extents.high.x, extents.high.y], [unclamped.low.x, unclamped.low.y, unclamped.high.x, unclamped.high.y]);
    // Only the extents: the stray wall is still there, where the file puts it.
    assert.equal(counts(outcome).inserted, ELEMENTS + 1);
    const [[z]] = await clamped.query("SELECT BBoxHigh.Z + Origin.Z FROM BisCore.GeometricElement3d WHERE UserLabel = 'Stray wall'");
    assert.ok((z as number) > 100_002, `the stray wall's top is at ${z}`);
    assert.deepEqual(warningCodes(outcome), []);
  });

  it('follows the flag on every run, even when the file is unchanged', async () => {
    const h = newIModel();
    await h.sync('sf-1', 'stray.ifc', STRAY_IFC, CLAMP);
    assert.equal((await h.projectExtents()).high.z, CLAMP_Z_METRES);
    const off = await h.sync('sf-1', 'stray.ifc', STRAY_IFC, { clampZExtent: false });
    assert.deepEqual(counts(off), { inserted: 0, updated: 0, unchanged: ELEMENTS + 1, deleted: 0 });
    assert.ok((await h.projectExtents()).high.z > 100_002);
    await h.sync('sf-1', 'stray.ifc', STRAY_IFC, CLAMP);
    assert.equal((await h.projectExtents()).high.z, CLAMP_Z_METRES);
  });

  it('leaves the extents as computed when every element lies beyond the limit, and says so', async () => {
    const h = newIModel();
    const outcome = await h.sync('sf-1', 'only-stray.ifc', ONLY_STRAY_IFC, CLAMP);
    assert.ok((await h.projectExtents()).low.z > 99_999);
    assert.deepEqual(warningCodes(outcome), ['ProjectExtents']);
    assert.match(conversion(outcome).warnings[0]!.message, /no element lies within 8849 m/);
    assert.equal(outcome.report.suggestedAction, 'Warning');
  });

  it('has nothing to limit without an XY range (no element with geometry)', async () => {
    const baseline = newIModel();
    await baseline.sync('sf-1', 'empty.ifc', NO_GEOMETRY_IFC);
    const h = newIModel();
    const outcome = await h.sync('sf-1', 'empty.ifc', NO_GEOMETRY_IFC, CLAMP);
    assert.deepEqual(await h.projectExtents(), await baseline.projectExtents());
    assert.deepEqual(warningCodes(outcome), []);
  });
});

describe('builtin IFC connector: ignoreIfcGlobalIds', { skip: ifcUnavailable }, () => {
  it('by GlobalId, a re-export with new GlobalIds replaces every element', async () => {
    const h = newIModel();
    await h.sync('sf-1', 'model.ifc', TWO_WALLS_IFC);
    const again = await h.sync('sf-1', 'model.ifc', REGENERATED_IFC);
    assert.deepEqual(counts(again), { inserted: ELEMENTS, updated: 0, unchanged: 0, deleted: ELEMENTS });
    assert.match(again.summary!, new RegExp(`${ELEMENTS} elements inserted, 0 updated, ${ELEMENTS} deleted, 0 unchanged`));
  });

  it('with the flag, the same re-export matches every element by its place in the file: updated in place, same ids', async () => {
    const h = newIModel();
    const first = await h.sync('sf-1', 'model.ifc', TWO_WALLS_IFC, IGNORE);
    assert.equal(counts(first).inserted, ELEMENTS);
    const before = await h.query('SELECT ECInstanceId, UserLabel, GlobalId FROM TwinsyncIfc.IfcElement ORDER BY UserLabel');
    // The identity is no GlobalId: the aspects hold path identifiers, the federation GUIDs are derived.
    const aspects = await h.query("SELECT Identifier FROM BisCore.ExternalSourceAspect WHERE Kind = 'Element'");
    assert.equal(aspects.length, ELEMENTS);
    for (const [identifier] of aspects) assert.match(identifier as string, /^path:[0-9a-f]{32}$/);
    const [[guid]] = await h.query("SELECT FederationGuid FROM BisCore.Element WHERE UserLabel = 'Wall 1'");
    assert.notEqual(guid, guidOfGlobalId('2O2Fr$t4X7Zf8NOew3FLOH'));

    const unchanged = await h.sync('sf-1', 'model.ifc', TWO_WALLS_IFC, IGNORE);
    assert.deepEqual(counts(unchanged), { inserted: 0, updated: 0, unchanged: ELEMENTS, deleted: 0 });

    const again = await h.sync('sf-1', 'model.ifc', REGENERATED_IFC, IGNORE);
    assert.deepEqual(counts(again), { inserted: 0, updated: ELEMENTS, unchanged: 0, deleted: 0 });
    assert.match(again.summary!, /0 elements inserted, 5 updated, 0 deleted, 0 unchanged/);
    const after = await h.query('SELECT ECInstanceId, UserLabel, GlobalId FROM TwinsyncIfc.IfcElement ORDER BY UserLabel');
    // The same elements, their GlobalId property following the file.
    assert.deepEqual(
      after.map((row) => row.slice(0, 2)),
      before.map((row) => row.slice(0, 2)),
    );
    assert.deepEqual(
      after.map((row) => row.slice(1)),
      [
        ['Slab 1', '0PpOoNnMmLlKkJjIiHhGgF'],
        ['Wall 1', '2ZzzyYxXwWvVuUtTsSrRqQ'],
        ['Wall 2', '1EeDdCcBbAa9z8y7x6w5v4'],
      ],
    );
  });

  it('with the flag, a GlobalId used twice is no problem: no warning, two elements', async () => {
    const byGlobalId = newIModel();
    const warned = await byGlobalId.sync('sf-1', 'dup.ifc', DUPLICATED_IFC);
    assert.deepEqual(warningCodes(warned), ['DuplicateGlobalId']);

    const h = newIModel();
    const outcome = await h.sync('sf-1', 'dup.ifc', DUPLICATED_IFC, IGNORE);
    assert.deepEqual(warningCodes(outcome), []);
    assert.equal(counts(outcome).inserted, ELEMENTS);
    const walls = await h.query("SELECT UserLabel, GlobalId FROM TwinsyncIfc.IfcElement WHERE IfcClass = 'IfcWall' ORDER BY UserLabel");
    assert.deepEqual(walls, [
      ['Wall 1', '2O2Fr$t4X7Zf8NOew3FLOH'],
      ['Wall 2', '2O2Fr$t4X7Zf8NOew3FLOH'],
    ]);
    const again = await h.sync('sf-1', 'dup.ifc', DUPLICATED_IFC, IGNORE);
    assert.deepEqual(counts(again), { inserted: 0, updated: 0, unchanged: ELEMENTS, deleted: 0 });
  });

  it('switching the flag between two runs replaces the file elements once, says so, then matches again', async () => {
    const h = newIModel();
    await h.sync('sf-1', 'model.ifc', TWO_WALLS_IFC);
    const on = await h.sync('sf-1', 'model.ifc', TWO_WALLS_IFC, IGNORE);
    assert.deepEqual(counts(on), { inserted: ELEMENTS, updated: 0, unchanged: 0, deleted: ELEMENTS });
    assert.deepEqual(warningCodes(on), ['IdentityChanged']);
    assert.match(conversion(on).warnings[0]!.message, /5 elements of this file were identified by GlobalId/);
    assert.equal(on.report.totalWarningsCount, 1);
    assert.equal((await h.query('SELECT COUNT(*) FROM TwinsyncIfc.IfcElement'))[0]![0], 3);

    const stable = await h.sync('sf-1', 'model.ifc', TWO_WALLS_IFC, IGNORE);
    assert.deepEqual(counts(stable), { inserted: 0, updated: 0, unchanged: ELEMENTS, deleted: 0 });
    assert.deepEqual(warningCodes(stable), []);

    // Back: the federation GUIDs are the GlobalIds' again.
    const off = await h.sync('sf-1', 'model.ifc', TWO_WALLS_IFC, { ignoreIfcGlobalIds: false });
    assert.deepEqual(counts(off), { inserted: ELEMENTS, updated: 0, unchanged: 0, deleted: ELEMENTS });
    assert.deepEqual(warningCodes(off), ['IdentityChanged']);
    const [[guid]] = await h.query("SELECT FederationGuid FROM BisCore.Element WHERE UserLabel = 'Wall 1'");
    assert.equal(guid, guidOfGlobalId('2O2Fr$t4X7Zf8NOew3FLOH'));
  });
});

describe('path identity (ignoreIfcGlobalIds)', () => {
  type Content = Parameters<typeof pathIdentifiers>[0];
  const spatial = (expressId: number, ifcClass: string, name: string | null, parentId: number | null) =>
    ({ expressId, ifcClass, name, parentId }) as unknown as Content['spatial'][number];
  const product = (expressId: number, ifcClass: string, name: string | null, containerId: number | null, aggregateId: number | null = null) =>
    ({ expressId, ifcClass, name, containerId, aggregateId }) as unknown as Content['products'][number];
  const type = (expressId: number, ifcClass: string, name: string | null) => ({ expressId, ifcClass, name }) as unknown as Content['types'][number];
  const tree = (storey = 'Level 1', offset = 0): Content => ({
    spatial: [spatial(1 + offset, 'IfcProject', 'P', null), spatial(2 + offset, 'IfcBuildingStorey', storey, 1 + offset)],
    products: [
      product(10 + offset, 'IfcWall', 'Wall', 2 + offset),
      product(11 + offset, 'IfcWall', 'Wall', 2 + offset),
      product(12 + offset, 'IfcStair', 'Stair', 2 + offset),
      product(13 + offset, 'IfcMember', 'Stringer', 2 + offset, 12 + offset),
    ],
    types: [type(20 + offset, 'IfcWallType', 'Wall')],
  });

  it('tells apart siblings of one class and name by their order, and is the same for the same file', () => {
    const ids = pathIdentifiers(tree());
    assert.equal(new Set(ids.values()).size, 7);
    for (const id of ids.values()) assert.match(id, /^path:[0-9a-f]{32}$/);
    assert.deepEqual(pathIdentifiers(tree()), ids);
  });

  it('survives a renumbering of STEP ids that keeps the order, and changes below a renamed parent', () => {
    const ids = pathIdentifiers(tree());
    const renumbered = pathIdentifiers(tree('Level 1', 1000));
    assert.deepEqual([...renumbered.values()], [...ids.values()]);
    const renamed = pathIdentifiers(tree('Level 2'));
    // The project and the type stay; the storey and everything under it are new.
    assert.deepEqual(
      [1, 2, 10, 11, 12, 13, 20].map((id) => renamed.get(id) === ids.get(id)),
      [true, false, false, false, false, false, true],
    );
  });

  it('cuts an aggregation loop and walks deep nesting without recursion', () => {
    const looped: Content = {
      spatial: [],
      types: [],
      products: [product(1, 'IfcElementAssembly', 'A', null, 2), product(2, 'IfcElementAssembly', 'A', null, 1)],
    };
    const ids = pathIdentifiers(looped);
    assert.equal(new Set(ids.values()).size, 2);
    const deep: Content = {
      spatial: [],
      types: [],
      products: Array.from({ length: 50_000 }, (_, i) => product(i + 1, 'IfcElementAssembly', 'A', null, i === 0 ? null : i)),
    };
    assert.equal(new Set(pathIdentifiers(deep).values()).size, 50_000);
  });
});
