import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IfcHarness, ifcUnavailable } from '../helpers/ifc-connector-harness.js';

/**
 * Real IFC files from public repositories, compared with what an independent reading of them
 * (IFC++ and a plain STEP parser) counted: products with a 3D body, spatial elements, spaces,
 * storeys, type objects, quantities. Each file is looked for in test/fixtures/ifc-samples (where
 * its licence allows keeping it: duplex.ifc), then in TWINSYNC_IFC_SAMPLES, then beside the
 * repository; a test whose file is nowhere is skipped, saying so.
 */
const REPO = path.resolve(import.meta.dirname, '../..');
const PLACES = [path.join(REPO, 'test/fixtures/ifc-samples'), process.env.TWINSYNC_IFC_SAMPLES, path.resolve(REPO, '../shared/ifc-samples')];
/** Where a sample file is, if it is anywhere (duplex.ifc is in the fixtures: its licence allows it). */
const where = (name: string) => PLACES.map((dir) => dir && path.join(dir, name)).find((file): file is string => !!file && fs.existsSync(file));
const skipUnless = (name: string) => ifcUnavailable || (where(name) ? false : `${name} is not here (test/fixtures/ifc-samples, TWINSYNC_IFC_SAMPLES)`);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-ifc-samples-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const sample = (name: string) => fs.readFileSync(where(name)!);
const grouped = (rows: unknown[][]) => Object.fromEntries(rows.map(([k, v]) => [k as string, v]));

/** An iModel in a folder of its own; one warm converter (2 to 3 s to start) serves every one of this file. */
let first: IfcHarness | undefined;
function newIModel(folder: string, iModelId: string): IfcHarness {
  const harness = new IfcHarness(path.join(root, folder), iModelId, undefined, first);
  first ??= harness;
  fs.mkdirSync(harness.root, { recursive: true });
  return harness;
}

/** Counts of what a converted file became, by ECSQL. */
async function counts(imodel: IfcHarness) {
  const [[withBody]] = await imodel.query('SELECT COUNT(*) FROM TwinsyncIfc.IfcElement WHERE GeometryStream IS NOT NULL');
  const [[sitesWithBody]] = await imodel.query('SELECT COUNT(*) FROM TwinsyncIfc.IfcSite WHERE GeometryStream IS NOT NULL');
  const [[spacesWithBody]] = await imodel.query('SELECT COUNT(*) FROM TwinsyncIfc.IfcSpace WHERE GeometryStream IS NOT NULL');
  const spatial = grouped(await imodel.query(`SELECT ec_classname(ECClassId, 'c'), COUNT(*) FROM TwinsyncIfc.IfcSpatialElement GROUP BY ECClassId`));
  const [[types]] = await imodel.query('SELECT COUNT(*) FROM TwinsyncIfc.IfcType');
  const [[uncontained]] = await imodel.query(
    'SELECT COUNT(*) FROM TwinsyncIfc.IfcElement e WHERE NOT EXISTS (SELECT 1 FROM TwinsyncIfc.SpatialStructureContainsElements r WHERE r.TargetECInstanceId = e.ECInstanceId)',
  );
  return { withBody, sitesWithBody, spacesWithBody, spatial, types, uncontained };
}

describe('builtin IFC connector on real IFC files', { skip: ifcUnavailable }, () => {
  const FZK = skipUnless('AC20-FZK-Haus.ifc');
  let fzk: IfcHarness;
  before(async () => {
    if (FZK) return;
    fzk = newIModel('fzk', '9b1c2d3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e');
    await fzk.sync('fzk', 'AC20-FZK-Haus.ifc', sample('AC20-FZK-Haus.ifc'));
  });

  it('AC20-FZK-Haus (IFC4): 83 products with a body (the site’s terrain one of them), 11 spatial elements with 7 spaces, 2 storeys, 18 types, every element in a storey', {
    skip: FZK,
  }, async () => {
    const found = await counts(fzk);
    assert.deepEqual(found, {
      withBody: 82,
      sitesWithBody: 1,
      spacesWithBody: 7,
      spatial: { IfcProject: 1, IfcSite: 1, IfcBuilding: 1, IfcBuildingStorey: 2, IfcSpace: 7 },
      types: 18,
      uncontained: 0,
    });
    assert.deepEqual(await fzk.query('SELECT UserLabel, Elevation FROM TwinsyncIfc.IfcBuildingStorey ORDER BY Elevation'), [
      ['Erdgeschoss', 0],
      ['Dachgeschoss', 2.7],
    ]);
    // Spaces are in their own category, so that rooms can be hidden; each lies in a storey.
    assert.deepEqual(
      await fzk.query(
        'SELECT c.CodeValue, p.UserLabel, COUNT(*) FROM TwinsyncIfc.IfcSpace s JOIN BisCore.SpatialCategory c ON c.ECInstanceId = s.Category.Id JOIN BisCore.Element p ON p.ECInstanceId = s.Parent.Id GROUP BY c.CodeValue, p.UserLabel ORDER BY p.UserLabel',
      ),
      [
        ['IfcSpace', 'Dachgeschoss', 1],
        ['IfcSpace', 'Erdgeschoss', 6],
      ],
    );
  });

  it('AC20-FZK-Haus: base quantities in SI with their kinds, layer materials with thickness, classification references', { skip: FZK }, async () => {
    const [wall] = await fzk.query(
      `SELECT BaseQuantities__Length, BaseQuantities__Height, BaseQuantities__Width, BaseQuantities__NetVolume FROM TwinsyncIfcDynamic.IfcWallStandardCase
        WHERE BaseQuantities__Length > 4.16 AND BaseQuantities__Length < 4.18`,
    );
    assert.deepEqual(wall, [4.17, 2.5, 0.24, 2.49624]);
    const [[layers]] = await fzk.query(`SELECT COUNT(*) FROM TwinsyncIfc.IfcMaterialAspect WHERE Usage = 'layer' AND Thickness > 0`);
    assert.ok((layers as number) >= 13, `${layers} layer materials`);
    const [[classified]] = await fzk.query('SELECT COUNT(DISTINCT Element.Id) FROM TwinsyncIfc.IfcClassificationAspect');
    assert.ok((classified as number) > 0, 'classification references are kept');
  });

  it('AC20-FZK-Haus: a second synchronization of the same content touches nothing; one changed wall is the only element updated', { skip: FZK }, async () => {
    const text = sample('AC20-FZK-Haus.ifc').toString('latin1');
    const [[globalId, name]] = await fzk.query(`SELECT GlobalId, UserLabel FROM TwinsyncIfc.IfcElement WHERE IfcClass = 'IfcWallStandardCase' LIMIT 1`);
    const line = text.split('\n').find((l) => l.includes(`'${globalId}'`))!;
    const changed = text.replace(line, line.replace(`'${name}'`, `'${name} (renamed)'`));
    const outcome = await fzk.sync('fzk', 'AC20-FZK-Haus.ifc', Buffer.from(changed, 'latin1'));
    assert.match(outcome.summary ?? '', /: 0 elements inserted, 1 updated, 0 deleted, \d+ unchanged\.$/);
    assert.deepEqual(await fzk.query(`SELECT UserLabel FROM TwinsyncIfc.IfcElement WHERE GlobalId = '${globalId}'`), [[`${name} (renamed)`]]);
  });

  it('duplex (IFC2X3): 215 products with a body, 4 storeys and 21 spaces, 37 types, every element in a storey', {
    skip: skipUnless('duplex.ifc'),
  }, async () => {
    const duplex = newIModel('duplex', 'ac2d3e4f-5a6b-4c7d-8e9f-1a2b3c4d5e6f');
    await duplex.sync('duplex', 'duplex.ifc', sample('duplex.ifc'));
    assert.deepEqual(await counts(duplex), {
      withBody: 215,
      sitesWithBody: 0,
      spacesWithBody: 21,
      spatial: { IfcProject: 1, IfcSite: 1, IfcBuilding: 1, IfcBuildingStorey: 4, IfcSpace: 21 },
      types: 37,
      uncontained: 0,
    });
  });

  it('IfcOpenHouse (IFC4): 35 products with a body (34 elements and the site), 3 spatial elements below the project', {
    skip: skipUnless('IfcOpenHouse_IFC4.ifc'),
  }, async () => {
    const house = newIModel('house', 'bd3e4f5a-6b7c-4d8e-9fa0-2b3c4d5e6f7a');
    await house.sync('house', 'IfcOpenHouse_IFC4.ifc', sample('IfcOpenHouse_IFC4.ifc'));
    const found = await counts(house);
    assert.deepEqual([found.withBody, found.sitesWithBody, found.spatial], [34, 1, { IfcProject: 1, IfcSite: 1, IfcBuilding: 1, IfcBuildingStorey: 1 }]);
  });

  for (const name of ['duplex.ifc', 'AC20-FZK-Haus.ifc', 'IfcOpenHouse_IFC4.ifc']) {
    it(`${name}: meshes computed on subsets of the file are web-ifc's on the whole file (triangles, colour, placed box of every piece)`, {
      skip: skipUnless(name),
    }, async () => {
      const WebIFC = await import('web-ifc');
      const { openIfc } = await import('../../src/connectors/ifc/read-ifc.js');
      const bytes = new Uint8Array(sample(name));
      const box = (points: ArrayLike<number>, stride: number, place: (x: number, y: number, z: number) => number[]) => {
        const lo = [Infinity, Infinity, Infinity];
        const hi = [-Infinity, -Infinity, -Infinity];
        for (let k = 0; k < points.length; k += stride) {
          const p = place(points[k]!, points[k + 1]!, points[k + 2]!);
          for (let d = 0; d < 3; d++) {
            lo[d] = Math.min(lo[d]!, p[d]!);
            hi[d] = Math.max(hi[d]!, p[d]!);
          }
        }
        return [...lo, ...hi].map((n) => n.toFixed(4)).join(',');
      };
      const piece = (vertices: number, triangles: number, color: number[], where: string) =>
        `${vertices}/${triangles}/${color.map((c) => c.toFixed(3))}@${where}`;
      // The whole file in web-ifc, as the converter read it before.
      const api = new WebIFC.IfcAPI();
      await api.Init();
      api.SetLogLevel(WebIFC.LogLevel.LOG_LEVEL_OFF);
      const model = api.OpenModel(bytes);
      const whole = new Map<number, string>();
      api.StreamAllMeshes(model, (mesh) => {
        const pieces: string[] = [];
        for (let i = 0; i < mesh.geometries.size(); i++) {
          const g = mesh.geometries.get(i);
          const geometry = api.GetGeometry(model, g.geometryExpressID);
          const v = api.GetVertexArray(geometry.GetVertexData(), geometry.GetVertexDataSize());
          const indices = geometry.GetIndexDataSize();
          geometry.delete();
          if (indices < 3) continue;
          const t = g.flatTransformation;
          const where = box(v, 6, (x, y, z) => [
            t[0]! * x + t[4]! * y + t[8]! * z + t[12]!,
            -(t[2]! * x + t[6]! * y + t[10]! * z + t[14]!),
            t[1]! * x + t[5]! * y + t[9]! * z + t[13]!,
          ]);
          pieces.push(piece(v.length / 6, indices / 3, [g.color.x, g.color.y, g.color.z, g.color.w], where));
        }
        whole.set(mesh.expressID, pieces.sort().join('|'));
      });
      api.CloseModel(model);
      // The converter's way: subsets of the file, one batch at a time (small batches here, so that
      // there are many), the text read back from the file once indexed as a large file's is.
      const reading = await openIfc(bytes, { batchInstances: 5_000, readBack: fs.openSync(where(name)!, 'r'), holdBytes: 0 });
      // What is read at once, and every product's data read later, as from the text held.
      const held = await openIfc(bytes);
      for (const key of ['schema', 'spatial', 'products', 'types', 'references', 'geolocation'] as const) assert.deepEqual(reading[key], held[key], key);
      for (const { expressId } of held.products) assert.deepEqual(reading.dataOf(expressId), held.dataOf(expressId), `#${expressId}`);
      assert.deepEqual(reading.warnings, held.warnings);
      held.close();
      let compared = 0;
      reading.meshes(
        reading.products.map((p) => p.expressId),
        (id, meshes) => {
          if (meshes.length === 0) return;
          const ours = meshes.map((m) =>
            piece(
              m.points.length / 3,
              m.triangles.length / 3,
              [m.color.r, m.color.g, m.color.b, m.color.a],
              box(m.points, 3, (x, y, z) => [x, y, z]),
            ),
          );
          assert.equal(ours.sort().join('|'), whole.get(id), `#${id}`);
          compared++;
        },
      );
      reading.close();
      assert.equal(compared, [...whole.keys()].filter((id) => reading.products.some((p) => p.expressId === id)).length);
      assert.ok(compared > 30, `${compared} products compared`);
    });
  }
});
