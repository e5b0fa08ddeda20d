import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { olderThan, SCHEMA_XML } from '../../src/connectors/ifc/ifc-schema.js';
import { Opcode, TypeOfChange } from '../../src/domain/changed-elements/model.js';
import { IfcHarness, ifcUnavailable } from '../helpers/ifc-connector-harness.js';
import { gid, RICH_IFC } from '../helpers/ifc-rich-fixture.js';

/**
 * IfcRelReferencedInSpatialStructure: what a storey or space references without containing it (a
 * wall running up through a second storey, a wall bounding a room), as rows of
 * TwinsyncIfc:SpatialStructureReferencesElements that ECSQL can join, kept right by re-syncs.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-ifc-references-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

/**
 * The rich fixture with a second storey, "Level 2", which references Wall 1, the stair and the
 * room (two storeys high) and a zone (a group, not converted); the room references Wall 2.
 */
const REFERENCING_IFC = RICH_IFC.replace(
  /^(#101=.*)$/m,
  [
    '$1',
    `#300=IFCBUILDINGSTOREY('${gid(300)}',$,'Level 2',$,$,$,$,$,.ELEMENT.,6000.);`,
    `#301=IFCRELAGGREGATES('${gid(301)}',$,$,$,#98,(#300));`,
    `#302=IFCRELREFERENCEDINSPATIALSTRUCTURE('${gid(302)}',$,$,$,(#50,#120,#110,#310),#300);`,
    `#303=IFCRELREFERENCEDINSPATIALSTRUCTURE('${gid(303)}',$,$,$,(#80),#110);`,
    `#310=IFCZONE('${gid(310)}',$,'Zone A',$,$,$);`,
  ].join('\n'),
);

/** The first suite's iModel; its warm converter (2 to 3 s to start) serves the second suite's iModel too. */
const referencing = ifcUnavailable ? null! : new IfcHarness(root, '4b5c6d7e-8f90-4a1b-8c2d-3e4f5a6b7c8d');

describe('builtin IFC connector: elements referenced by spatial structure elements', { skip: ifcUnavailable }, () => {
  const imodel = referencing;
  /** Each reference as "element ← structure", sorted. */
  const references = async () =>
    (
      await imodel.query(
        `SELECT e.UserLabel, s.UserLabel FROM TwinsyncIfc.SpatialStructureReferencesElements r
           JOIN BisCore.Element e ON e.ECInstanceId = r.TargetECInstanceId
           JOIN BisCore.Element s ON s.ECInstanceId = r.SourceECInstanceId`,
      )
    )
      .map(([element, structure]) => `${element} ← ${structure}`)
      .sort();
  const idsAndLastMods = async () =>
    Object.fromEntries(
      (await imodel.query('SELECT UserLabel, ECInstanceId, LastMod FROM BisCore.Element WHERE UserLabel IS NOT NULL')).map(([l, ...r]) => [l, r]),
    );

  it('relates each referenced element and spatial element to the storey or space that references it, apart from its containment', async () => {
    const outcome = await imodel.sync('refs', 'house.ifc', REFERENCING_IFC);
    assert.equal(outcome.report.totalErrorsCount, 0);
    assert.deepEqual(await references(), ['Room 1 ← Level 2', 'Stair ← Level 2', 'Wall 1 ← Level 2', 'Wall 2 ← Room 1']);
    // Containment is as it was: Wall 1 is in Level 1, referenced in Level 2.
    assert.deepEqual(
      await imodel.query(
        `SELECT s.UserLabel FROM TwinsyncIfc.IfcElement e JOIN TwinsyncIfc.IfcBuildingStorey s ON s.ECInstanceId = e.ContainedIn.Id WHERE e.UserLabel = 'Wall 1'`,
      ),
      [['Level 1']],
    );
    // The zone is a group: not converted, and the report says its reference was left out.
    const warnings = (outcome.details?.conversion as { warnings: { code: string; message: string; ifcIds: string[] }[] }).warnings;
    assert.deepEqual(
      warnings.filter((w) => /IfcRelReferencedInSpatialStructure/.test(w.message)),
      [
        {
          code: 'NotRead',
          message:
            '1 reference of spatial structure elements (IfcRelReferencedInSpatialStructure) to entities that are not converted (IfcZone ×1) was left out.',
          ifcIds: ['#310'],
        },
      ],
    );
    // As iTwin users query it: what each storey references, through the relationship's class.
    assert.deepEqual(
      await imodel.query(
        `SELECT s.UserLabel, COUNT(*) FROM TwinsyncIfc.IfcBuildingStorey s
           JOIN TwinsyncIfc.SpatialStructureReferencesElements r ON r.SourceECInstanceId = s.ECInstanceId GROUP BY s.UserLabel`,
      ),
      [['Level 2', 3]],
    );
    assert.deepEqual(await imodel.query(`SELECT VersionMajor, VersionWrite, VersionMinor FROM meta.ECSchemaDef WHERE Name = 'TwinsyncIfc'`), [[1, 1, 1]]);
  });

  it('a re-sync of the same file changes nothing', async () => {
    const before = await idsAndLastMods();
    const outcome = await imodel.sync('refs', 'house.ifc', REFERENCING_IFC);
    assert.match(outcome.summary ?? '', /: 0 elements inserted, 0 updated, 0 deleted, 14 unchanged\.$/);
    assert.deepEqual(await idsAndLastMods(), before);
    assert.equal(outcome.elementChanges?.elements.length, 0);
  });

  it('a reference removed and one added: the rows follow, the two elements count as updated (indirectly) and are not rewritten', async () => {
    const before = await idsAndLastMods();
    // The stair no longer referenced in Level 2; the slab now referenced by the room.
    const changed = REFERENCING_IFC.replace('(#50,#120,#110,#310),#300', '(#50,#110,#310),#300').replace('(#80),#110', '(#80,#70),#110');
    const outcome = await imodel.sync('refs', 'house.ifc', changed);
    assert.match(outcome.summary ?? '', /: 0 elements inserted, 2 updated, 0 deleted, 12 unchanged\.$/);
    assert.deepEqual(await references(), ['Room 1 ← Level 2', 'Slab 1 ← Room 1', 'Wall 1 ← Level 2', 'Wall 2 ← Room 1']);
    // The element rows themselves were not written: same ids, same last modification.
    assert.deepEqual(await idsAndLastMods(), before);
    const changes = outcome.elementChanges!;
    assert.deepEqual(
      changes.elements.map((id, i) => [id, changes.opcodes[i], changes.type[i], changes.properties[i]]).sort(),
      [
        [before.Stair![0], Opcode.Updated, TypeOfChange.Indirect, []],
        [before['Slab 1']![0], Opcode.Updated, TypeOfChange.Indirect, []],
      ].sort(),
    );
  });

  it('a referenced element and a referencing storey that vanish take their rows with them; one that changes class keeps them', async () => {
    // Wall 2 gone (its reference by the room with it), Level 2 gone (its references with it), the
    // room made an IfcSpatialZone (a new element of another class, its reference of the slab rewritten).
    const changed = REFERENCING_IFC.replace(/^#80=.*\n/m, '')
      .replace('(#50,#70,#80,#120),#95', '(#50,#70,#120),#95')
      .replace('(#80),#110', '(#70),#110')
      .replace(/^#30[0-2]=.*\n/gm, '')
      .replace(/#110=IFCSPACE\(('[^']+',\$,'Room 1',\$,\$,#31,#113),'Living room',\.ELEMENT\.,\.INTERNAL\.,\$\);/, '#110=IFCSPATIALZONE($1,$$,.USERDEFINED.);');
    assert.match(changed, /#110=IFCSPATIALZONE\(/);
    const outcome = await imodel.sync('refs', 'house.ifc', changed);
    assert.equal(outcome.report.totalErrorsCount, 0);
    assert.deepEqual(await references(), ['Slab 1 ← Room 1']);
    assert.deepEqual(await imodel.query(`SELECT ec_classname(ECClassId, 'c') FROM TwinsyncIfc.IfcSpatialElement WHERE UserLabel = 'Room 1'`), [
      ['IfcSpatialZone'],
    ]);
  });
});

describe('an iModel written before the references relationship existed', { skip: ifcUnavailable }, () => {
  it('versions are compared as numbers: iTwin.js says "1.1.0" where the schema says "01.01.00"', () => {
    assert.equal(olderThan('1.1.0', '01.01.01'), true);
    assert.equal(olderThan('1.1.1', '01.01.01'), false);
    assert.equal(olderThan('1.10.0', '01.09.00'), false);
    assert.equal(olderThan('1.0.9', '01.01.00'), true);
  });

  it('is given TwinsyncIfc 01.01.01 at its next synchronization, with the references', async () => {
    // TwinsyncIfc as the release before wrote it: 01.01.00, without the relationship.
    const older = SCHEMA_XML.replace('version="01.01.01"', 'version="01.01.00"').replace(
      /\s*<ECRelationshipClass typeName="SpatialStructureReferencesElements"[\s\S]*?<\/ECRelationshipClass>/,
      '',
    );
    assert.ok(older.includes('version="01.01.00"') && !older.includes('SpatialStructureReferencesElements'));
    const { IModelHost, SnapshotDb } = await import('@itwin/core-backend');
    const { startIModelHost } = await import('../../src/connectors/ifc/write-imodel.js');
    await startIModelHost(path.join(root, 'cache'));
    const file = path.join(root, 'older.bim');
    const db = SnapshotDb.createEmpty(file, { rootSubject: { name: 'older' } });
    await db.importSchemaStrings([older]);
    db.close();
    await IModelHost.shutdown();

    const imodel = new IfcHarness(root, '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f', undefined, referencing);
    imodel.head = { index: 1, file };
    const outcome = await imodel.sync('refs', 'house.ifc', REFERENCING_IFC);
    assert.equal(outcome.report.totalErrorsCount, 0);
    assert.deepEqual(await imodel.query(`SELECT VersionMajor, VersionWrite, VersionMinor FROM meta.ECSchemaDef WHERE Name = 'TwinsyncIfc'`), [[1, 1, 1]]);
    assert.deepEqual(await imodel.query('SELECT COUNT(*) FROM TwinsyncIfc.SpatialStructureReferencesElements'), [[4]]);
  });
});
