import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ConnectorOutcome } from '../../src/connectors/connector.js';
import { lengthUnitNamed } from '../../src/connectors/ifc/read-map-conversion.js';
import { utmZoneOf } from '../../src/connectors/ifc/utm.js';
import { IfcHarness, ifcUnavailable } from '../helpers/ifc-connector-harness.js';
import { TWO_WALLS_IFC } from '../helpers/ifc-fixture.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-geo-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
/** AC20-FZK-Haus.ifc, looked for where ifc-samples.test.ts looks (its licence keeps it out of the repository). */
const REPO = path.resolve(import.meta.dirname, '../..');
const FZK = [path.join(REPO, 'test/fixtures/ifc-samples'), process.env.TWINSYNC_IFC_SAMPLES, path.resolve(REPO, '../shared/ifc-samples')]
  .filter((dir): dir is string => !!dir)
  .map((dir) => path.join(dir, 'AC20-FZK-Haus.ifc'))
  .find((file) => fs.existsSync(file));

/**
 * A new iModel, synchronized task after task as a worker drives it. One warm converter serves every
 * iModel of this file (starting one costs 2 to 3 s), as one serves every task of a worker.
 */
let first: IfcHarness | undefined;
function newIModel(): IfcHarness {
  const harness = new IfcHarness(root, randomUUID(), undefined, first);
  first ??= harness;
  return harness;
}

/** What the latest version says about where it is: its ECEF location, the earth at given points, the record. */
async function geolocationOf(file: string, points: Array<[number, number, number]> = [[0, 0, 0]]) {
  const { IModelHost, SnapshotDb } = await import('@itwin/core-backend');
  const { startIModelHost } = await import('../../src/connectors/ifc/write-imodel.js');
  const { currentRecord } = await import('../../src/connectors/ifc/geolocation.js');
  await startIModelHost(path.join(root, 'cache'));
  const db = SnapshotDb.openFile(file);
  try {
    const ecef = db.ecefLocation?.toJSON();
    const earth = ecef
      ? points.map(([x, y, z]) => {
          const c = db.spatialToCartographicFromEcef({ x, y, z });
          return { latitude: (c.latitude * 180) / Math.PI, longitude: (c.longitude * 180) / Math.PI, height: c.height };
        })
      : [];
    return { ecef, earth, record: currentRecord(db), gcs: db.geographicCoordinateSystem?.toJSON() };
  } finally {
    db.close();
    await IModelHost.shutdown();
  }
}

/** The messages of the warnings a conversion reported (details.conversion.warnings), all of code Geolocation. */
const warningsOf = (outcome: ConnectorOutcome) => {
  const warnings = (outcome.details?.conversion as { warnings: { code: string; message: string }[] }).warnings;
  assert.deepEqual(new Set(warnings.map((w) => w.code)), new Set(warnings.length ? ['Geolocation'] : []));
  return warnings.map((w) => w.message);
};

const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);

/**
 * The model's origin must be at 49.100435° N, 8.436539° E, 110 m up, and the model point 100 m due
 * north of it on UTM zone 32's grid (by the independent forward series) on the origin's meridian:
 * the model's axes are the grid's. Returns the geolocation record and that grid point.
 */
async function assertOnTheGridAtTheTestPoint(file: string, meridian = 'due north stays on the meridian') {
  const { eastings, northings } = utmOf(49.100435, 8.436539, 32);
  const due = utmOf(49.100435 + 100 / 111_200, 8.436539, 32);
  const { earth, record } = await geolocationOf(file, [
    [0, 0, 0],
    [due.eastings - eastings, due.northings - northings, 0],
  ]);
  near(earth[0]!.latitude, 49.100435, 1e-7, 'latitude');
  near(earth[0]!.longitude, 8.436539, 1e-7, 'longitude');
  near(earth[0]!.height, 110, 1e-3, 'height');
  near(earth[1]!.longitude, 8.436539, 1e-7, meridian);
  return { record, due };
}

/** An angle as IFC's IfcCompoundPlaneAngleMeasure: degrees, minutes, seconds, millionths, all signed. */
function compound(degrees: number): string {
  const sign = degrees < 0 ? -1 : 1;
  let micro = Math.round(Math.abs(degrees) * 3.6e9);
  const d = Math.floor(micro / 3.6e9);
  micro -= d * 3.6e9;
  const m = Math.floor(micro / 6e7);
  micro -= m * 6e7;
  const s = Math.floor(micro / 1e6);
  micro -= s * 1e6;
  return `(${[d, m, s, micro].map((v) => sign * v).join(',')})`;
}

interface FixtureOptions {
  /** The project's length unit: metres by default. */
  unit?: 'MILLI' | 'FOOT';
  site?: { latitude: number; longitude: number; elevation?: number; at?: [number, number, number] };
  /** TrueNorth of the model context (x, y). */
  trueNorth?: [number, number];
  map?: { crs: string; eastings: number; northings: number; height: number; abscissa?: number; ordinate?: number; scale?: number };
  /** The file's schema: IFC4 by default (IfcWall's PredefinedType is left out for IFC2X3). */
  schema?: 'IFC2X3' | 'IFC4X3_ADD2';
  /**
   * IFC2X3's georeferencing convention: ePSet_MapConversion and ePSet_ProjectedCRS on the site (a
   * site is made if none is asked for) or the project; `mapUnit` as ePSet_ProjectedCRS.MapUnit.
   */
  psets?: { on: 'site' | 'project'; crs: string; eastings: number; northings: number; height: number; abscissa?: number; ordinate?: number; mapUnit?: string };
  /** IFC4X3's IfcRigidOperation to a projected CRS, its coordinates as lengths or (`angles`) plane angles. */
  rigid?: { crs: string; first: number; second: number; height?: number; angles?: boolean };
}

/** test/fixtures/two-walls.ifc with a site, a true north and a map conversion as asked (file units throughout). */
function geolocated(options: FixtureOptions): string {
  const lines: string[] = [];
  let text = TWO_WALLS_IFC;
  if (options.unit === 'MILLI') text = text.replace('#2=IFCSIUNIT(*,.LENGTHUNIT.,$,.METRE.);', '#2=IFCSIUNIT(*,.LENGTHUNIT.,.MILLI.,.METRE.);');
  if (options.unit === 'FOOT') {
    text = text.replace('#2=IFCSIUNIT(*,.LENGTHUNIT.,$,.METRE.);', "#2=IFCCONVERSIONBASEDUNIT(#203,.LENGTHUNIT.,'FOOT',#204);");
    lines.push(
      '#201=IFCSIUNIT(*,.LENGTHUNIT.,$,.METRE.);',
      '#203=IFCDIMENSIONALEXPONENTS(1,0,0,0,0,0,0);',
      '#204=IFCMEASUREWITHUNIT(IFCLENGTHMEASURE(0.3048),#201);',
    );
  }
  if (options.trueNorth) {
    text = text.replace(
      "#20=IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-05,#13,$);",
      "#20=IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-05,#13,#205);",
    );
    lines.push(`#205=IFCDIRECTION((${options.trueNorth.map((v) => v.toFixed(12)).join(',')}));`);
  }
  if (options.site) {
    const { latitude, longitude, elevation = 0, at = [0, 0, 0] } = options.site;
    lines.push(
      `#210=IFCCARTESIANPOINT((${at.map((v) => v.toFixed(6)).join(',')}));`,
      '#211=IFCAXIS2PLACEMENT3D(#210,$,$);',
      '#212=IFCLOCALPLACEMENT($,#211);',
      `#213=IFCSITE('1cwlDi_hLEvPsClAelBNnz',$,'Site',$,$,#212,$,$,.ELEMENT.,${compound(latitude)},${compound(longitude)},${elevation.toFixed(6)},$,$);`,
      "#214=IFCRELAGGREGATES('0h3CTB1fn7FQvGcIOTaHbD',$,$,$,#1,(#213));",
    );
  }
  if (options.schema === 'IFC2X3') text = text.replace("FILE_SCHEMA(('IFC4'));", "FILE_SCHEMA(('IFC2X3'));").replace(/^(#[58]0=IFCWALL\(.*),\$\);$/gm, '$1);');
  if (options.schema === 'IFC4X3_ADD2') text = text.replace("FILE_SCHEMA(('IFC4'));", "FILE_SCHEMA(('IFC4X3_ADD2'));");
  if (options.psets) {
    const { on, crs, eastings, northings, height, abscissa = 1, ordinate = 0, mapUnit } = options.psets;
    if (on === 'site' && !options.site) {
      lines.push(
        "#213=IFCSITE('1cwlDi_hLEvPsClAelBNnz',$,'Site',$,$,$,$,$,.ELEMENT.,$,$,$,$,$);",
        "#214=IFCRELAGGREGATES('0h3CTB1fn7FQvGcIOTaHbD',$,$,$,#1,(#213));",
      );
    }
    // As IFC2X3 exporters write them: measures typed as lengths and reals, names as labels.
    lines.push(
      `#230=IFCPROPERTYSINGLEVALUE('Eastings',$,IFCLENGTHMEASURE(${eastings.toFixed(6)}),$);`,
      `#231=IFCPROPERTYSINGLEVALUE('Northings',$,IFCLENGTHMEASURE(${northings.toFixed(6)}),$);`,
      `#232=IFCPROPERTYSINGLEVALUE('OrthogonalHeight',$,IFCLENGTHMEASURE(${height.toFixed(6)}),$);`,
      `#233=IFCPROPERTYSINGLEVALUE('XAxisAbscissa',$,IFCREAL(${abscissa.toFixed(12)}),$);`,
      `#234=IFCPROPERTYSINGLEVALUE('XAxisOrdinate',$,IFCREAL(${ordinate.toFixed(12)}),$);`,
      "#235=IFCPROPERTYSINGLEVALUE('Scale',$,IFCREAL(1.),$);",
      "#236=IFCPROPERTYSET('2b5uGfXgz0BhbV6kqxU3Ab',$,'ePSet_MapConversion',$,(#230,#231,#232,#233,#234,#235));",
      `#237=IFCPROPERTYSINGLEVALUE('Name',$,IFCLABEL('${crs}'),$);`,
      "#238=IFCPROPERTYSINGLEVALUE('GeodeticDatum',$,IFCLABEL('ETRS89'),$);",
      "#239=IFCPROPERTYSINGLEVALUE('MapZone',$,IFCLABEL('32N'),$);",
      `#240=IFCPROPERTYSET('0vGb3ycMD1eOVT3vLhfXqS',$,'EPset_ProjectedCRS',$,(#237,#238,#239${mapUnit ? ',#241' : ''}));`,
      ...(mapUnit ? [`#241=IFCPROPERTYSINGLEVALUE('MapUnit',$,IFCLABEL('${mapUnit}'),$);`] : []),
      `#242=IFCRELDEFINESBYPROPERTIES('3Ib9yjwuv0ThGPV7HeiFCw',$,$,$,(${on === 'site' ? '#213' : '#1'}),#236);`,
      `#243=IFCRELDEFINESBYPROPERTIES('1c3nAf0xTBWQ3f2M6QYjPq',$,$,$,(${on === 'site' ? '#213' : '#1'}),#240);`,
    );
  }
  if (options.rigid) {
    const { crs, first, second, height, angles = false } = options.rigid;
    const measure = (v: number) => (angles ? `IFCPLANEANGLEMEASURE(${v.toFixed(9)})` : `IFCLENGTHMEASURE(${v.toFixed(6)})`);
    lines.push(
      `#250=IFCPROJECTEDCRS('${crs}','ETRS89 / UTM zone 32N','ETRS89','DHHN2016','UTM','32N',$);`,
      `#251=IFCRIGIDOPERATION(#20,#250,${measure(first)},${measure(second)},${height === undefined ? '$' : height.toFixed(6)});`,
    );
  }
  if (options.map) {
    const { crs, eastings, northings, height, abscissa = 1, ordinate = 0, scale } = options.map;
    lines.push(
      `#220=IFCPROJECTEDCRS('${crs}','ETRS89 / UTM zone 32N','ETRS89','DHHN2016','UTM','32N',$);`,
      `#221=IFCMAPCONVERSION(#20,#220,${eastings.toFixed(6)},${northings.toFixed(6)},${height.toFixed(6)},${abscissa.toFixed(12)},${ordinate.toFixed(12)},${scale === undefined ? '$' : scale.toFixed(6)});`,
    );
  }
  return text.replace(/\nENDSEC;\nEND-ISO-10303-21;/, `\n${lines.join('\n')}\nENDSEC;\nEND-ISO-10303-21;`);
}

/**
 * Latitude and longitude to UTM easting and northing, written here independently of the
 * converter's inverse: Krüger's forward series (to the third power of n) on GRS80.
 */
function utmOf(latitude: number, longitude: number, zone: number): { eastings: number; northings: number } {
  const f = 1 / 298.257222101;
  const n = f / (2 - f);
  const A = (6378137 / (1 + n)) * (1 + n ** 2 / 4 + n ** 4 / 64);
  const alpha = [n / 2 - (2 * n ** 2) / 3 + (5 * n ** 3) / 16, (13 * n ** 2) / 48 - (3 * n ** 3) / 5, (61 * n ** 3) / 240];
  const phi = (latitude * Math.PI) / 180;
  const lambda = ((longitude - (zone * 6 - 183)) * Math.PI) / 180;
  const c = (2 * Math.sqrt(n)) / (1 + n);
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - c * Math.atanh(c * Math.sin(phi)));
  const xi = Math.atan2(t, Math.cos(lambda));
  const eta = Math.atanh(Math.sin(lambda) / Math.sqrt(1 + t * t));
  let e = eta;
  let nn = xi;
  alpha.forEach((a, i) => {
    const j = i + 1;
    e += a * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
    nn += a * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
  });
  return { eastings: 500000 + 0.9996 * A * e, northings: 0.9996 * A * nn };
}

/**
 * The northing of a point on a zone's central meridian: 0.9996 times the meridian's length from
 * the equator, integrated numerically (Simpson) from the ellipse itself.
 */
function centralNorthing(latitude: number): number {
  const a = 6378137;
  const f = 1 / 298.257222101;
  const e2 = f * (2 - f);
  const steps = 20000;
  const end = (latitude * Math.PI) / 180;
  const h = end / steps;
  const m = (phi: number) => (a * (1 - e2)) / (1 - e2 * Math.sin(phi) ** 2) ** 1.5;
  let sum = m(0) + m(end);
  for (let i = 1; i < steps; i++) sum += (i % 2 ? 4 : 2) * m(i * h);
  return 0.9996 * ((sum * h) / 3);
}

describe('IFC geolocation', { skip: ifcUnavailable }, () => {
  it("places the iModel by the site's reference latitude, longitude and elevation, at the site's origin, turned to true north", async () => {
    const imodel = newIModel();
    // A millimetre file: the site's origin is 10 m east and 20 m north of the model's, 2 m up.
    const turn = (30 * Math.PI) / 180; // north is 30° counter-clockwise from the model's y axis
    const north: [number, number] = [-Math.sin(turn), Math.cos(turn)];
    const ifc = geolocated({
      unit: 'MILLI',
      site: { latitude: 49.100435, longitude: 8.436539, elevation: 110000, at: [10000, 20000, 2000] },
      trueNorth: north,
    });
    const outcome = await imodel.sync('site', 'site.ifc', ifc);
    assert.deepEqual(warningsOf(outcome), []);
    const origin: [number, number, number] = [10, 20, 2];
    const ahead = (d: [number, number]): [number, number, number] => [origin[0] + 100 * d[0], origin[1] + 100 * d[1], origin[2]];
    const east: [number, number] = [north[1], -north[0]];
    const { earth, record, gcs } = await geolocationOf(imodel.head.file!, [origin, ahead(north), ahead(east)]);
    near(earth[0]!.latitude, 49.100435, 1e-7, 'latitude');
    near(earth[0]!.longitude, 8.436539, 1e-7, 'longitude');
    near(earth[0]!.height, 110, 1e-3, 'height');
    // 100 m towards the file's north: the same meridian, further north; towards its east: the same parallel.
    near(earth[1]!.longitude, 8.436539, 1e-7, 'longitude 100 m north');
    near(earth[1]!.latitude - 49.100435, 100 / 111_200, 2e-5, 'latitude 100 m north');
    near(earth[2]!.latitude, 49.100435, 1e-7, 'latitude 100 m east');
    assert.ok(earth[2]!.longitude > 8.437, 'east is east');
    assert.equal(record?.from, 'IfcSite');
    assert.equal(record?.sourceFileId, 'site');
    // North 30° counter-clockwise from the y axis: the x axis is 30° clockwise from east.
    near(record!.xAxisFromEast, -30, 1e-9, 'x axis from east');
    assert.equal(gcs, undefined);
  });

  it('reads a conversion-based length unit (feet) for the site elevation and origin', async () => {
    const imodel = newIModel();
    await imodel.sync('feet', 'feet.ifc', geolocated({ unit: 'FOOT', site: { latitude: -33.857, longitude: 151.215, elevation: 10, at: [100, 0, 0] } }));
    const { earth } = await geolocationOf(imodel.head.file!, [[30.48, 0, 0]]);
    near(earth[0]!.latitude, -33.857, 1e-7, 'latitude');
    near(earth[0]!.longitude, 151.215, 1e-7, 'longitude');
    near(earth[0]!.height, 3.048, 1e-3, 'height');
  });

  it("places it by IFC4's map conversion to EPSG:25832, turned as the map conversion says, and records the CRS", async () => {
    const imodel = newIModel();
    // On the zone's central meridian grid north is true north, so the x axis is 20° north of east.
    const northings = centralNorthing(49);
    const turn = (20 * Math.PI) / 180;
    const ifc = geolocated({
      site: { latitude: 49, longitude: 9, elevation: 100 },
      map: { crs: 'EPSG:25832', eastings: 500000, northings, height: 100, abscissa: Math.cos(turn), ordinate: Math.sin(turn) },
    });
    assert.match(ifc, /#213=IFCSITE\(.*\(49,0,0,0\),\(9,0,0,0\),100\.000000,\$,\$\);/);
    await imodel.sync('map', 'map.ifc', ifc);
    const { earth, record, gcs, ecef } = await geolocationOf(imodel.head.file!, [
      [0, 0, 0],
      [100 * Math.cos(-turn), 100 * Math.sin(-turn), 0],
    ]);
    near(earth[0]!.latitude, 49, 1e-7, 'latitude');
    near(earth[0]!.longitude, 9, 1e-7, 'longitude');
    near(earth[0]!.height, 100, 1e-3, 'height');
    near(earth[1]!.latitude, 49, 1e-7, 'the model axis 20° clockwise from x points east');
    assert.ok(ecef);
    assert.equal(record?.from, 'IfcMapConversion');
    assert.deepEqual(record?.crs, {
      name: 'EPSG:25832',
      description: 'ETRS89 / UTM zone 32N',
      geodeticDatum: 'ETRS89',
      verticalDatum: 'DHHN2016',
      mapProjection: 'UTM',
      mapZone: '32N',
      epsg: 25832,
    });
    assert.deepEqual(
      { ...record!.mapConversion, northings: undefined, xAxisAbscissa: undefined, xAxisOrdinate: undefined },
      {
        source: 'IfcMapConversion',
        eastings: 500000,
        northings: undefined,
        orthogonalHeight: 100,
        xAxisAbscissa: undefined,
        xAxisOrdinate: undefined,
        scale: 1,
      },
    );
    // iTwin.js keeps no coordinate system without its CRS database (Bentley's cloud): none is set.
    assert.equal(gcs, undefined);
  });

  it('off the central meridian too (grid convergence included), in a millimetre file', async () => {
    const imodel = newIModel();
    const { eastings, northings } = utmOf(49.100435, 8.436539, 32);
    await imodel.sync(
      'off',
      'off.ifc',
      geolocated({ unit: 'MILLI', map: { crs: 'EPSG:25832', eastings: eastings * 1000, northings: northings * 1000, height: 110000 } }),
    );
    const { record, due } = await assertOnTheGridAtTheTestPoint(imodel.head.file!);
    // West of the central meridian the meridians lean towards it going north: true north is east of
    // grid north, so the grid's x axis is turned counter-clockwise from east (by about 0.43° here).
    assert.ok(due.eastings > eastings);
    near(record!.xAxisFromEast, (9 - 8.436539) * Math.sin((49.100435 * Math.PI) / 180), 0.01, 'x axis from east');
  });

  it('the first source file to place the iModel keeps it placed; another that disagrees gets a warning; one without says nothing', async () => {
    const imodel = newIModel();
    await imodel.sync('first', 'first.ifc', geolocated({ site: { latitude: 49, longitude: 9 } }));
    const before = await geolocationOf(imodel.head.file!);
    const other = await imodel.sync('second', 'second.ifc', geolocated({ site: { latitude: 48, longitude: 11 } }));
    const warnings = warningsOf(other);
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /'second\.ifc' places the model at latitude 48\.0000000, longitude 11\.0000000.*already placed by 'first\.ifc' at latitude 49\.0000000.*first placement is kept/,
    );
    const same = await imodel.sync('third', 'third.ifc', geolocated({ site: { latitude: 49, longitude: 9 } }));
    assert.deepEqual(warningsOf(same), [], 'agreeing is no warning');
    const none = await imodel.sync('plain', 'plain.ifc', TWO_WALLS_IFC);
    assert.deepEqual(warningsOf(none), []);
    assert.deepEqual((await geolocationOf(imodel.head.file!)).ecef, before.ecef);
    // The file that placed it may move it.
    await imodel.sync('first', 'first.ifc', geolocated({ site: { latitude: 50, longitude: 9 } }));
    const moved = await geolocationOf(imodel.head.file!);
    near(moved.earth[0]!.latitude, 50, 1e-7, 'moved');
    assert.equal(moved.record?.sourceFileId, 'first');
  });

  it('a CRS twinsync cannot project is recorded with a warning, and the site places the model', async () => {
    const imodel = newIModel();
    const outcome = await imodel.sync(
      'gk',
      'gk.ifc',
      geolocated({ site: { latitude: 49, longitude: 9 }, map: { crs: 'EPSG:31467', eastings: 3500000, northings: 5430000, height: 0 } }),
    );
    assert.deepEqual(warningsOf(outcome), [
      "'gk.ifc': the map conversion's CRS 'EPSG:31467' is not a UTM zone twinsync can project; the site's reference latitude and longitude place the model instead.",
    ]);
    const { earth, record } = await geolocationOf(imodel.head.file!);
    near(earth[0]!.latitude, 49, 1e-7, 'latitude');
    assert.equal(record?.from, 'IfcSite');
    assert.equal(record?.crs?.name, 'EPSG:31467');
  });

  it('a file without geolocation leaves the iModel unplaced', async () => {
    const imodel = newIModel();
    await imodel.sync('plain', 'plain.ifc', TWO_WALLS_IFC);
    const { ecef, record } = await geolocationOf(imodel.head.file!);
    assert.equal(ecef, undefined);
    assert.equal(record, undefined);
  });

  it('AC20-FZK-Haus.ifc: the site at 49°6′1.566″ N, 8°26′11.5404″ E, 110 m, north 50° from the x axis', {
    skip: !FZK && 'AC20-FZK-Haus.ifc is not here (test/fixtures/ifc-samples, TWINSYNC_IFC_SAMPLES, ../shared/ifc-samples)',
  }, async () => {
    const imodel = newIModel();
    await imodel.sync('fzk', 'fzk.ifc', fs.readFileSync(FZK!, 'latin1'));
    const { earth, record } = await geolocationOf(imodel.head.file!);
    near(earth[0]!.latitude, 49 + 6 / 60 + 1.566 / 3600, 1e-7, 'latitude');
    near(earth[0]!.longitude, 8 + 26 / 60 + 11.5404 / 3600, 1e-7, 'longitude');
    near(earth[0]!.height, 110, 1e-3, 'height');
    // TrueNorth (0.766044443119, 0.642787609687): north 40° from the x axis, so x is 50° from east.
    near(record!.xAxisFromEast, 50, 1e-6, 'x axis from east');
  });
});

describe('IFC geolocation of a real IFC2X3 file', { skip: ifcUnavailable }, () => {
  it('duplex.ifc (test/fixtures/ifc-samples): the site at 41°52′27.84″ N, 87°38′21.84″ W (Chicago), no true north', async () => {
    const imodel = newIModel();
    await imodel.sync('duplex', 'duplex.ifc', fs.readFileSync(path.join(import.meta.dirname, '../fixtures/ifc-samples/duplex.ifc'), 'latin1'));
    const { earth, record } = await geolocationOf(imodel.head.file!);
    near(earth[0]!.latitude, 41 + 52 / 60 + 27.84 / 3600, 1e-7, 'latitude');
    near(earth[0]!.longitude, -(87 + 38 / 60 + 21.839999 / 3600), 1e-7, 'longitude');
    near(earth[0]!.height, 0, 1e-3, 'height');
    assert.equal(record?.from, 'IfcSite');
    assert.equal(record?.xAxisFromEast, 0);
  });
});

describe("IFC2X3's georeferencing property sets and IFC4X3's rigid operation", { skip: ifcUnavailable }, () => {
  it('IFC2X3: ePSet_MapConversion and ePSet_ProjectedCRS on the site place the model as a map conversion does, turned as they say', async () => {
    const imodel = newIModel();
    // On the zone's central meridian grid north is true north, so the x axis is 20° north of east.
    const turn = (20 * Math.PI) / 180;
    const ifc = geolocated({
      schema: 'IFC2X3',
      psets: {
        on: 'site',
        crs: 'EPSG:25832',
        eastings: 500000,
        northings: centralNorthing(49),
        height: 100,
        abscissa: Math.cos(turn),
        ordinate: Math.sin(turn),
        mapUnit: 'METRE',
      },
    });
    assert.match(ifc, /FILE_SCHEMA\(\('IFC2X3'\)\);[\s\S]*#50=IFCWALL\('[^']+',\$,'Wall 1',\$,\$,#30,#43,\$\);/);
    const outcome = await imodel.sync('pset', 'pset.ifc', ifc);
    assert.deepEqual(warningsOf(outcome), []);
    const { earth, record } = await geolocationOf(imodel.head.file!, [
      [0, 0, 0],
      [100 * Math.cos(-turn), 100 * Math.sin(-turn), 0],
    ]);
    near(earth[0]!.latitude, 49, 1e-7, 'latitude');
    near(earth[0]!.longitude, 9, 1e-7, 'longitude');
    near(earth[0]!.height, 100, 1e-3, 'height');
    near(earth[1]!.latitude, 49, 1e-7, 'the model axis 20° clockwise from x points east');
    assert.equal(record?.from, 'ePSet_MapConversion');
    assert.deepEqual(record?.crs, {
      name: 'EPSG:25832',
      description: null,
      geodeticDatum: 'ETRS89',
      verticalDatum: null,
      mapProjection: null,
      mapZone: '32N',
      epsg: 25832,
    });
  });

  it('IFC2X3: on the project, without MapUnit, in a millimetre file: map coordinates in millimetres, off the central meridian', async () => {
    const imodel = newIModel();
    const { eastings, northings } = utmOf(49.100435, 8.436539, 32);
    await imodel.sync(
      'pset-mm',
      'pset-mm.ifc',
      geolocated({
        schema: 'IFC2X3',
        unit: 'MILLI',
        psets: { on: 'project', crs: 'ETRS89 / UTM zone 32N', eastings: eastings * 1000, northings: northings * 1000, height: 110000 },
      }),
    );
    const { record } = await assertOnTheGridAtTheTestPoint(imodel.head.file!);
    assert.equal(record?.from, 'ePSet_MapConversion');
    assert.equal(record?.crs?.epsg, 25832);
  });

  it('IFC2X3: a MapUnit twinsync does not know is a warning, and the site places the model', async () => {
    const imodel = newIModel();
    const outcome = await imodel.sync(
      'pset-unit',
      'pset-unit.ifc',
      geolocated({
        schema: 'IFC2X3',
        site: { latitude: 48, longitude: 11 },
        psets: { on: 'site', crs: 'EPSG:25832', eastings: 500000, northings: 5_400_000, height: 0, mapUnit: 'cubits' },
      }),
    );
    assert.deepEqual(warningsOf(outcome), [
      "'pset-unit.ifc': ePSet_ProjectedCRS of IfcSite #213 gives MapUnit 'cubits', which is not a length unit twinsync knows: the map conversion is not applied.",
    ]);
    const { earth, record } = await geolocationOf(imodel.head.file!);
    near(earth[0]!.latitude, 48, 1e-7, 'latitude');
    assert.equal(record?.from, 'IfcSite');
  });

  it('IFC4: an IfcMapConversion comes before the property sets when a file has both', async () => {
    const imodel = newIModel();
    await imodel.sync(
      'both',
      'both.ifc',
      geolocated({
        map: { crs: 'EPSG:25832', eastings: 500000, northings: centralNorthing(49), height: 0 },
        psets: { on: 'site', crs: 'EPSG:25832', eastings: 500000, northings: centralNorthing(50), height: 0 },
      }),
    );
    const { earth, record } = await geolocationOf(imodel.head.file!);
    near(earth[0]!.latitude, 49, 1e-7, 'latitude');
    assert.equal(record?.from, 'IfcMapConversion');
  });

  it("IFC4X3: an IfcRigidOperation with lengths places the model's origin at its map coordinates, its axes the grid's", async () => {
    const imodel = newIModel();
    const { eastings, northings } = utmOf(49.100435, 8.436539, 32);
    // The CRS names no map unit: its coordinates are in the project's, millimetres here.
    const outcome = await imodel.sync(
      'rigid',
      'rigid.ifc',
      geolocated({ schema: 'IFC4X3_ADD2', unit: 'MILLI', rigid: { crs: 'EPSG:25832', first: eastings * 1000, second: northings * 1000, height: 110000 } }),
    );
    assert.deepEqual(warningsOf(outcome), []);
    const { record } = await assertOnTheGridAtTheTestPoint(imodel.head.file!, 'due north on the grid, by the model axes, stays on the meridian');
    assert.equal(record?.from, 'IfcRigidOperation');
    assert.deepEqual([record?.mapConversion?.xAxisAbscissa, record?.mapConversion?.xAxisOrdinate, record?.mapConversion?.scale], [1, 0, 1]);
    // Grid convergence, as for a map conversion without a turn.
    near(record!.xAxisFromEast, (9 - 8.436539) * Math.sin((49.100435 * Math.PI) / 180), 0.01, 'x axis from east');
  });

  it('IFC4X3: a rigid operation in plane angles is not applied, saying why; the site places the model', async () => {
    const imodel = newIModel();
    const outcome = await imodel.sync(
      'rigid-angles',
      'rigid-angles.ifc',
      geolocated({ schema: 'IFC4X3_ADD2', site: { latitude: 49, longitude: 9 }, rigid: { crs: 'EPSG:4326', first: 8.4, second: 49.1, angles: true } }),
    );
    assert.deepEqual(warningsOf(outcome), [
      "'rigid-angles.ifc': IfcRigidOperation #251 gives its coordinates as plane angles (a geographic CRS), whose order IFC leaves to the CRS: it is not applied.",
    ]);
    const { earth, record } = await geolocationOf(imodel.head.file!);
    near(earth[0]!.latitude, 49, 1e-7, 'latitude');
    assert.equal(record?.from, 'IfcSite');
  });
});

describe('map units named in words (ePSet_ProjectedCRS.MapUnit)', () => {
  it('metres with SI prefixes, feet, US survey feet; nothing else', () => {
    assert.equal(lengthUnitNamed('METRE'), 1);
    assert.equal(lengthUnitNamed('Meters'), 1);
    assert.equal(lengthUnitNamed('MILLI METRE'), 0.001);
    assert.equal(lengthUnitNamed('millimetre'), 0.001);
    assert.equal(lengthUnitNamed('km'), 1000);
    assert.equal(lengthUnitNamed('FOOT'), 0.3048);
    assert.equal(lengthUnitNamed('US survey foot'), 1200 / 3937);
    assert.equal(lengthUnitNamed('ftUS'), 1200 / 3937);
    assert.equal(lengthUnitNamed('cubits'), undefined);
    assert.equal(lengthUnitNamed('DEGREE'), undefined);
  });
});

describe('UTM zones named by IfcProjectedCRS', () => {
  const crs = (name: string, extra: Partial<Parameters<typeof utmZoneOf>[0]> = {}) =>
    utmZoneOf({ name, description: null, geodeticDatum: null, verticalDatum: null, mapProjection: null, mapZone: null, ...extra });
  it('by EPSG code or by name', () => {
    assert.deepEqual(crs('EPSG:25832'), { zone: 32, south: false, flattening: 1 / 298.257222101, epsg: 25832 });
    assert.equal(crs('32633')?.zone, 33);
    assert.deepEqual([crs('EPSG:32755')?.zone, crs('EPSG:32755')?.south], [55, true]);
    assert.equal(crs('WGS 84 / UTM zone 17N')?.epsg, 32617);
    assert.equal(crs('ETRS89 / UTM zone 33N')?.epsg, 25833);
    assert.equal(crs('Local', { mapProjection: 'UTM', mapZone: '31' })?.epsg, 32631);
    assert.equal(crs('EPSG:31467'), undefined);
    assert.equal(crs('EPSG:2056'), undefined);
  });
});
