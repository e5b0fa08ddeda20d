import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { IfcHarness, ifcUnavailable } from '../helpers/ifc-connector-harness.js';
import { RICH_IFC } from '../helpers/ifc-rich-fixture.js';

/**
 * What an IFC file holds besides geometry, as iTwin tools see it in the iModel: the spatial tree,
 * containment and aggregation, types, property and quantity sets with units, materials and
 * classifications — read back with ECSQL, as a property grid or a report would.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-ifc-data-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('builtin IFC connector: structure, types and data', { skip: ifcUnavailable }, () => {
  const imodel = ifcUnavailable ? null! : new IfcHarness(root, '8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4e');
  const byLabel = (rows: unknown[][]) => Object.fromEntries(rows.map(([label, ...rest]) => [label as string, rest.length === 1 ? rest[0] : rest]));

  it('brings the spatial tree in as elements of their own classes, parents above children, the space with its volume', async () => {
    const outcome = await imodel.sync('rich', 'house.ifc', RICH_IFC);
    assert.equal(outcome.report.totalErrorsCount, 0);
    const spatial = await imodel.query(
      `SELECT s.UserLabel, ec_classname(s.ECClassId, 'c'), p.UserLabel, s.LongName, c.CodeValue, IIF(s.GeometryStream IS NULL, 0, 1)
         FROM TwinsyncIfc.IfcSpatialElement s
         JOIN BisCore.SpatialCategory c ON c.ECInstanceId = s.Category.Id
         LEFT JOIN BisCore.Element p ON p.ECInstanceId = s.Parent.Id`,
    );
    assert.deepEqual(byLabel(spatial), {
      Fixture: ['IfcProject', null, null, 'IfcProject', 0],
      Site: ['IfcSite', 'Fixture', null, 'IfcSite', 0],
      House: ['IfcBuilding', 'Site', 'The house', 'IfcBuilding', 0],
      'Level 1': ['IfcBuildingStorey', 'House', 'First floor', 'IfcBuildingStorey', 0],
      'Room 1': ['IfcSpace', 'Level 1', 'Living room', 'IfcSpace', 1],
    });
    // The storey's elevation in metres (the file is in millimetres), with its kind of quantity.
    assert.deepEqual(await imodel.query('SELECT Elevation FROM TwinsyncIfc.IfcBuildingStorey'), [[3]]);
  });

  it('relates every element to the structure that contains it, parts through their aggregate, and makes aggregates their parents', async () => {
    const rows = await imodel.query(
      `SELECT e.UserLabel, s.UserLabel, p.UserLabel FROM TwinsyncIfc.IfcElement e
         LEFT JOIN TwinsyncIfc.SpatialStructureContainsElements r ON r.TargetECInstanceId = e.ECInstanceId
         LEFT JOIN BisCore.Element s ON s.ECInstanceId = r.SourceECInstanceId
         LEFT JOIN BisCore.Element p ON p.ECInstanceId = e.Parent.Id`,
    );
    assert.deepEqual(byLabel(rows), {
      'Wall 1': ['Level 1', null],
      'Wall 2': ['Level 1', null],
      'Slab 1': ['Level 1', null],
      Stair: ['Level 1', null],
      'Flight 1': ['Level 1', 'Stair'],
      'Flight 2': ['Level 1', 'Stair'],
      Table: ['Room 1', null],
    });
    // The aggregate is an element although it has no geometry of its own; each IFC entity is a class.
    assert.deepEqual(
      byLabel(
        await imodel.query(
          `SELECT UserLabel, ec_classname(ECClassId), IIF(GeometryStream IS NULL, 0, 1) FROM TwinsyncIfc.IfcElement WHERE UserLabel IN ('Stair', 'Flight 1', 'Table')`,
        ),
      ),
      {
        Stair: ['TwinsyncIfcDynamic:IfcStair', 0],
        'Flight 1': ['TwinsyncIfcDynamic:IfcStairFlight', 1],
        Table: ['TwinsyncIfcDynamic:IfcFurnishingElement', 1],
      },
    );
  });

  it('keeps Tag, ObjectType and Description, and makes the type object a type element both walls point to, with its own property set', async () => {
    assert.deepEqual(await imodel.query(`SELECT Tag, ObjectType, Description, GlobalId, IfcClass FROM TwinsyncIfc.IfcElement WHERE UserLabel = 'Wall 1'`), [
      ['W-001', 'Exterior', 'An outer wall', '2O2Fr$t4X7Zf8NOew3FLOH', 'IfcWall'],
    ]);
    const typed = await imodel.query(
      `SELECT e.UserLabel, t.UserLabel, ec_classname(t.ECClassId), t.Tag FROM TwinsyncIfc.IfcElement e JOIN TwinsyncIfc.IfcType t ON t.ECInstanceId = e.TypeDefinition.Id ORDER BY e.UserLabel`,
    );
    assert.deepEqual(typed, [
      ['Wall 1', 'WT-200', 'TwinsyncIfcDynamic:IfcWallType', 'T200'],
      ['Wall 2', 'WT-200', 'TwinsyncIfcDynamic:IfcWallType', 'T200'],
    ]);
    assert.deepEqual(await imodel.query('SELECT UserLabel, Pset_WallCommon__AcousticRating FROM TwinsyncIfcDynamic.IfcWallType'), [['WT-200', '45 dB']]);
  });

  it('makes every kind of property an EC property of the element’s class, in a category named after its set, measured values in SI with their kind of quantity, even where the file writes *', async () => {
    const [row] = await imodel.query(
      `SELECT Twinsync_Test__Status, Twinsync_Test__Layers, Twinsync_Test__OperatingTemperature_LowerBound, Twinsync_Test__OperatingTemperature_UpperBound,
              Twinsync_Test__Curve, Twinsync_Test__Frame__x002E__Depth, Twinsync_Test__Anchors
         FROM TwinsyncIfcDynamic.IfcWall WHERE UserLabel = 'Wall 1'`,
    );
    assert.deepEqual(row, ['NEW', [0.1, 0.05], 263.15, 313.15, '1 → 10; 2 → 20', 0.08, 3]);
    const kinds = await imodel.query(
      `SELECT d.Name, k.Name, d.DisplayLabel, g.DisplayLabel FROM meta.ECPropertyDef d
         JOIN meta.ECClassDef c ON c.ECInstanceId = d.Class.Id
         JOIN meta.ECSchemaDef s ON s.ECInstanceId = c.Schema.Id
         LEFT JOIN meta.KindOfQuantityDef k ON k.ECInstanceId = d.KindOfQuantity.Id
         LEFT JOIN meta.PropertyCategoryDef g ON g.ECInstanceId = d.Category.Id
        WHERE s.Name = 'TwinsyncIfcDynamic' AND c.Name = 'IfcWall' ORDER BY d.Name`,
    );
    assert.deepEqual(byLabel(kinds), {
      Pset_WallCommon__FireRating: [null, 'FireRating', 'Pset_WallCommon'],
      Pset_WallCommon__IsExternal: [null, 'IsExternal', 'Pset_WallCommon'],
      Pset_WallCommon__ThermalTransmittance: ['ThermalTransmittance', 'ThermalTransmittance', 'Pset_WallCommon'],
      Qto_WallBaseQuantities__Length: ['Length', 'Length', 'Qto_WallBaseQuantities'],
      Qto_WallBaseQuantities__NetSideArea: ['Area', 'NetSideArea', 'Qto_WallBaseQuantities'],
      Qto_WallBaseQuantities__NetVolume: ['Volume', 'NetVolume', 'Qto_WallBaseQuantities'],
      Qto_WallBaseQuantities__Openings: [null, 'Openings', 'Qto_WallBaseQuantities'],
      Twinsync_Test__Anchors: [null, 'Anchors', 'Twinsync_Test'],
      Twinsync_Test__Curve: [null, 'Curve', 'Twinsync_Test'],
      Twinsync_Test__Frame__x002E__Depth: ['Length', 'Frame.Depth', 'Twinsync_Test'],
      Twinsync_Test__Layers: ['Length', 'Layers', 'Twinsync_Test'],
      Twinsync_Test__OperatingTemperature_LowerBound: ['Temperature', 'OperatingTemperature (lower bound)', 'Twinsync_Test'],
      Twinsync_Test__OperatingTemperature_UpperBound: ['Temperature', 'OperatingTemperature (upper bound)', 'Twinsync_Test'],
      Twinsync_Test__Status: [null, 'Status', 'Twinsync_Test'],
    });
    const [quantities] = await imodel.query(
      `SELECT Qto_WallBaseQuantities__Length, Qto_WallBaseQuantities__NetSideArea, Qto_WallBaseQuantities__NetVolume, Qto_WallBaseQuantities__Openings
         FROM TwinsyncIfcDynamic.IfcWall WHERE UserLabel = 'Wall 1'`,
    );
    assert.deepEqual(quantities, [4, 12, 2.4, 2]);
  });

  it('records materials (layers with their thickness in metres, an occurrence inheriting its type’s) and classification references', async () => {
    const materials = await imodel.query(
      `SELECT e.UserLabel, m.Material, m.Category, m.Usage, m.SetName, m.Position, m.Thickness FROM TwinsyncIfc.IfcMaterialAspect m
         JOIN BisCore.Element e ON e.ECInstanceId = m.Element.Id ORDER BY e.UserLabel, m.Position`,
    );
    assert.deepEqual(materials, [
      ['Wall 1', 'Concrete', 'Concrete', 'layer', 'Wall 200', 1, 0.15],
      ['Wall 1', 'Insulation', null, 'layer', 'Wall 200', 2, 0.05],
      ['Wall 2', 'Concrete', 'Concrete', 'material', null, null, null],
      ['WT-200', 'Concrete', 'Concrete', 'material', null, null, null],
    ]);
    assert.deepEqual(
      await imodel.query(
        'SELECT e.UserLabel, c.System, c.Identification, c.ReferenceName FROM TwinsyncIfc.IfcClassificationAspect c JOIN BisCore.Element e ON e.ECInstanceId = c.Element.Id',
      ),
      [['Wall 1', 'Uniclass 2015', 'EF_25_10', 'Walls']],
    );
  });

  it('re-synchronizes a changed file in place: a part leaving its aggregate keeps its identity and loses its parent, a changed property is rewritten, the rest untouched', async () => {
    const ids = byLabel(await imodel.query('SELECT UserLabel, ECInstanceId FROM BisCore.Element WHERE UserLabel IS NOT NULL'));
    const changed = RICH_IFC.replace('(#121,#122));', '(#121));').replace("IFCLABEL('NEW')", "IFCLABEL('EXISTING')");
    const outcome = await imodel.sync('rich', 'house.ifc', changed);
    // Flight 2 (no longer a part) and Wall 1 (its property) changed; everything else as it was.
    assert.match(outcome.summary ?? '', /: 0 elements inserted, 2 updated, 0 deleted, 11 unchanged\.$/);
    const now = byLabel(await imodel.query('SELECT UserLabel, ECInstanceId FROM BisCore.Element WHERE UserLabel IS NOT NULL'));
    for (const label of ['Wall 1', 'Flight 2', 'Stair', 'Level 1', 'WT-200']) assert.equal(now[label], ids[label], label);
    assert.deepEqual(await imodel.query(`SELECT Parent.Id FROM TwinsyncIfc.IfcElement WHERE UserLabel = 'Flight 2'`), [[null]]);
    assert.deepEqual(await imodel.query(`SELECT UserLabel, Twinsync_Test__Status FROM TwinsyncIfcDynamic.IfcWall ORDER BY UserLabel`), [
      ['Wall 1', 'EXISTING'],
      ['Wall 2', null],
    ]);
  });

  it('a value of another type than the property first had goes to a sibling property; the schema only grows', async () => {
    // A number where text was: the text property holds it. Text where an integer was: a text sibling.
    const changed = RICH_IFC.replace("IFCLABEL('NEW')", 'IFCREAL(1.5)').replace('IFCINTEGER(3)', "IFCLABEL('three')");
    await imodel.sync('rich', 'house.ifc', changed);
    assert.deepEqual(
      await imodel.query(
        `SELECT Twinsync_Test__Status, Twinsync_Test__Anchors, Twinsync_Test__Anchors_Text FROM TwinsyncIfcDynamic.IfcWall WHERE UserLabel = 'Wall 1'`,
      ),
      [['1.5', null, 'three']],
    );
    const [[version]] = await imodel.query(`SELECT VersionMinor FROM meta.ECSchemaDef WHERE Name = 'TwinsyncIfcDynamic'`);
    assert.ok((version as number) >= 2, `version minor ${version}`);
  });

  it('an entity that changes class keeps its identity, and what hangs on it follows: parts, occurrences of a type', async () => {
    const changed = RICH_IFC.replace('IFCSTAIR(', 'IFCRAMP(').replace('IFCWALLTYPE(', 'IFCBUILDINGELEMENTPROXYTYPE(');
    const outcome = await imodel.sync('rich', 'house.ifc', changed);
    assert.equal(outcome.report.totalErrorsCount, 0);
    const rows = await imodel.query(
      `SELECT e.UserLabel, ec_classname(p.ECClassId, 'c'), ec_classname(t.ECClassId, 'c') FROM TwinsyncIfc.IfcElement e
         LEFT JOIN BisCore.Element p ON p.ECInstanceId = e.Parent.Id
         LEFT JOIN BisCore.Element t ON t.ECInstanceId = e.TypeDefinition.Id
        WHERE e.UserLabel IN ('Flight 1', 'Flight 2', 'Wall 1', 'Wall 2', 'Stair')`,
    );
    assert.deepEqual(byLabel(rows), {
      Stair: [null, null],
      'Flight 1': ['IfcRamp', null],
      'Flight 2': ['IfcRamp', null],
      'Wall 1': [null, 'IfcBuildingElementProxyType'],
      'Wall 2': [null, 'IfcBuildingElementProxyType'],
    });
    assert.deepEqual(await imodel.query(`SELECT ec_classname(ECClassId, 'c') FROM TwinsyncIfc.IfcElement WHERE UserLabel = 'Stair'`), [['IfcRamp']]);
    // Synchronized again as it is: nothing to do.
    const again = await imodel.sync('rich', 'house.ifc', changed);
    assert.match(again.summary ?? '', /: 0 elements inserted, 0 updated, 0 deleted, 13 unchanged\.$/);
  });

  it('a measure of another kind than the property first had gets a sibling named after its kind; names differing in case stay two properties', async () => {
    // 80 mm² (the file's area unit) is 0.00008 m².
    const changed = RICH_IFC.replace('IFCPOSITIVELENGTHMEASURE(80.)', 'IFCAREAMEASURE(80.)')
      .replace(
        "#206=IFCPROPERTYSINGLEVALUE('Anchors',$,IFCINTEGER(3),$);",
        "#206=IFCPROPERTYSINGLEVALUE('Anchors',$,IFCINTEGER(3),$);\n#209=IFCPROPERTYSINGLEVALUE('ANCHORS',$,IFCINTEGER(4),$);",
      )
      .replace('(#200,#201,#202,#203,#204,#206)', '(#200,#201,#202,#203,#204,#206,#209)');
    await imodel.sync('rich', 'house.ifc', changed);
    assert.deepEqual(
      await imodel.query(
        `SELECT Twinsync_Test__Frame__x002E__Depth, Twinsync_Test__Frame__x002E__Depth_Area, Twinsync_Test__Anchors, Twinsync_Test__ANCHORS_2
           FROM TwinsyncIfcDynamic.IfcWall WHERE UserLabel = 'Wall 1'`,
      ),
      [[null, 0.00008, 3, 4]],
    );
  });
});
