import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BuiltinIfcConnector, builtinIfcUnavailable } from '../../src/connectors/builtin-ifc.js';
import { type BuiltinSettings, parseConnectorsConfig } from '../../src/connectors/config.js';
import { ConnectorFailure, type ConnectorInput } from '../../src/connectors/connector.js';
import { describeThrown, NotAnIfcFile } from '../../src/connectors/ifc/conversion-errors.js';
import { ifcInZip, isZip } from '../../src/connectors/ifc/ifc-zip.js';
import { scanStep } from '../../src/connectors/ifc/step-scan.js';
import { Warnings } from '../../src/connectors/ifc/warnings.js';
import { checkpointFileIn, checkpointsDirIn, imodelsDir } from '../../src/domain/imodels/imodel-file.js';
import { TWO_WALLS_IFC } from '../helpers/ifc-fixture.js';
import { makeZip } from '../helpers/zip.js';

/**
 * What the builtin IFC connector reads: the structural check of the STEP text before web-ifc gets
 * it (a damaged file fails at once, for good, saying what and where), `.ifczip` archives, and the
 * warnings a readable but imperfect file brings into the task's report.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-ifc-read-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const IMODEL_ID = '8f9a0b1c-2d3e-4f5a-8b6c-7d8e9f0a1b2c';
const ITWIN_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const unavailable = builtinIfcUnavailable();
const settings = parseConnectorsConfig({ types: { IFC: { kind: 'builtin' } } }, 'test').types.IFC as BuiltinSettings;
const connector = unavailable ? undefined! : new BuiltinIfcConnector(settings, root);
let counter = 0;
let head: { index: number; file: string | null } = { index: 0, file: null };
const changesetId = (index: number) => createHash('sha1').update(`read ${index}`).digest('hex');
const IFC = Buffer.from(TWO_WALLS_IFC, 'latin1');

/** The fixture cut in the middle of entity #70 (line 32), as an interrupted upload or copy leaves it. */
const TRUNCATED = TWO_WALLS_IFC.slice(0, TWO_WALLS_IFC.indexOf('#70=') + 20);
/** Bytes that are no STEP at all where the DATA section's first entity should be. */
const GARBAGE = TWO_WALLS_IFC.replace('DATA;\n', 'DATA;\n\u0001\u0002\u00ffgarbage\n');
/** One '(' too many in entity #41 (line 24). */
const UNBALANCED = TWO_WALLS_IFC.replace('#41=IFCEXTRUDEDAREASOLID(#40,', '#41=IFCEXTRUDEDAREASOLID((#40,');
/** The storey's containment relation names an entity the file does not hold. */
const DANGLING = TWO_WALLS_IFC.replace('(#50,#70,#80),#95', '(#50,#70,#80,#999),#95');

function task(sourceFileId: string, fileName: string, content: Buffer | string): ConnectorInput {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'latin1') : content;
  const n = ++counter;
  const filePath = path.join(root, `blob-${n}`);
  fs.writeFileSync(filePath, bytes);
  const outputDir = path.join(root, 'work', `task-${n}`);
  fs.mkdirSync(outputDir, { recursive: true });
  return {
    action: 'sync',
    connectorType: 'IFC',
    iModelId: IMODEL_ID,
    sourceFileId,
    storageFileId: `file-${sourceFileId}`,
    fileName,
    filePath,
    size: bytes.length,
    contentHash: createHash('sha256').update(bytes).digest('hex'),
    outputDir,
    attempt: 0,
    signal: new AbortController().signal,
    changeset: { id: changesetId(head.index + 1), index: head.index + 1, parentId: head.index === 0 ? '' : changesetId(head.index) },
    checkpoint: { base: head.file, target: checkpointFileIn(imodelsDir(root), IMODEL_ID, head.index + 1), iTwinId: ITWIN_ID },
  };
}

async function sync(sourceFileId: string, fileName: string, content: Buffer | string) {
  const input = task(sourceFileId, fileName, content);
  const outcome = await connector.run(input);
  head = { index: input.changeset.index, file: input.checkpoint!.target };
  return outcome;
}

/** What the intact file brought into the iModel, as elementsOf says it. */
let intact: string[] = [];

/** A task that must fail: the failure, after checking that it left no new version behind. */
async function refused(fileName: string, content: Buffer | string): Promise<ConnectorFailure> {
  const before = fs.readdirSync(checkpointsDirIn(imodelsDir(root), IMODEL_ID)).sort();
  const started = Date.now();
  const error = await connector.run(task('source-bad', fileName, content)).catch((e: unknown) => e);
  assert.ok(error instanceof ConnectorFailure, String(error));
  // Failing for good is the point: a retry of the same bytes fails the same way.
  assert.equal(error.retryable, false, error.taskError.details);
  assert.equal(error.taskError.errorCode, 'TWINSYNC_CONNECTOR_EXIT');
  assert.equal(error.taskError.bridgeExitCode, 2);
  assert.doesNotMatch(error.taskError.details ?? '', /\[object /);
  assert.ok(Date.now() - started < 30_000, 'at once: one attempt of the converter, no waiting');
  assert.deepEqual(fs.readdirSync(checkpointsDirIn(imodelsDir(root), IMODEL_ID)).sort(), before, 'no new version, nothing half-written');
  return error;
}

/** Each element of a source file: label, category and what the converter kept of its IFC product. */
async function elementsOf(sourceFileId: string): Promise<string[]> {
  const { IModelHost, SnapshotDb } = await import('@itwin/core-backend');
  const { startIModelHost } = await import('../../src/connectors/ifc/write-imodel.js');
  await startIModelHost(path.join(root, 'cache'));
  const db = SnapshotDb.openFile(head.file!);
  try {
    const rows = await db
      .createQueryReader(
        `SELECT e.UserLabel, c.CodeValue, e.JsonProperties, e.FederationGuid
           FROM BisCore.GeometricElement3d e
           JOIN BisCore.SpatialCategory c ON c.ECInstanceId = e.Category.Id
           JOIN BisCore.PhysicalPartition p ON p.ECInstanceId = e.Model.Id
          WHERE p.CodeValue = ?
          ORDER BY e.UserLabel`,
        (await import('@itwin/core-common')).QueryBinder.from([sourceFileId]),
      )
      .toArray();
    return rows.map((r) => `${r[0]} (${r[1]}) ${r[3]} ${JSON.stringify(JSON.parse((r[2] as string | undefined) ?? '{}').ifc)}`);
  } finally {
    db.close();
    await IModelHost.shutdown();
  }
}

describe('IFC files that cannot be read fail at once, for good, saying what and where', { skip: unavailable }, () => {
  it('converts the intact fixture first (the version every refusal below must leave as it is)', async () => {
    const outcome = await sync('source-ifc', 'tower.ifc', IFC);
    assert.equal(outcome.report.suggestedAction, 'None');
    assert.match(outcome.report.message, /Converted 'tower\.ifc' \(IFC4\): 5 elements in 4 categories/);
    intact = await elementsOf('source-ifc');
    assert.equal(intact.length, 5, intact.join('\n'));
  });

  it('a file cut in the middle of an entity', async () => {
    const error = await refused('tower.ifc', TRUNCATED);
    assert.match(error.taskError.details ?? '', /the file ends in the middle of entity #70 \(line 32\).*: it is truncated/);
  });

  it('garbage after the header', async () => {
    const error = await refused('tower.ifc', GARBAGE);
    assert.match(error.taskError.details ?? '', /line 8: expected an entity instance \(#id=NAME\(\.\.\.\);\) or ENDSEC;, found "\\x01\\x02\\xffgarbage"/);
  });

  it('unbalanced parentheses', async () => {
    const error = await refused('tower.ifc', UNBALANCED);
    assert.match(error.taskError.details ?? '', /entity #41 \(line 24\): its parentheses are unbalanced: 1 is still open at the ';' on line 24/);
  });

  it('a binary file that is neither IFC nor ZIP', async () => {
    const error = await refused('tower.ifc', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    assert.match(error.taskError.details ?? '', /not an IFC \(STEP, ISO-10303-21\) file/);
  });

  it('leaves the iModel with the intact file’s elements', async () => {
    assert.deepEqual(await elementsOf('source-ifc'), intact);
    assert.deepEqual(await elementsOf('source-bad'), []);
  });
});

describe('.ifczip', { skip: unavailable }, () => {
  const variants: [string, Buffer][] = [
    ['stored', makeZip([{ name: 'tower.ifc', content: IFC }])],
    [
      'deflated, sizes in data descriptors',
      makeZip(
        [
          { name: 'readme.txt', content: 'exported' },
          { name: 'model/tower.ifc', content: IFC, method: 'deflate' },
        ],
        { dataDescriptor: true },
      ),
    ],
    ['ZIP64, deflated', makeZip([{ name: 'tower.ifc', content: IFC, method: 'deflate' }], { zip64: true })],
  ];
  for (const [kind, zip] of variants) {
    it(`${kind}: converts to the same elements as the .ifc`, async () => {
      const id = `source-zip-${kind.split(',')[0]}`;
      const outcome = await sync(id, 'tower.ifczip', zip);
      assert.match(outcome.report.message, /^Converted 'tower\.ifczip' \('(model\/)?tower\.ifc' in it\) \(IFC4\): 5 elements in 4 categories \(5 inserted, /);
      assert.match(String((outcome.details?.conversion as { zipEntry?: string }).zipEntry), /tower\.ifc$/);
      // Same labels, categories and IFC facts; federation GUIDs are the GlobalIds' only in the first source file that has them.
      const strip = (rows: string[]) => rows.map((row) => row.replace(/ [0-9a-f-]{36} /, ' '));
      assert.deepEqual(strip(await elementsOf(id)), strip(await elementsOf('source-ifc')));
    });
  }

  it('is told by content, not by name: a ZIP named .ifc converts, and so does a plain file named .ifczip', async () => {
    const zipped = await sync('source-named-ifc', 'tower.ifc', makeZip([{ name: 'tower.ifc', content: IFC, method: 'deflate' }]));
    assert.match(zipped.report.message, /^Converted 'tower\.ifc' \('tower\.ifc' in it\) \(IFC4\): 5 elements/);
    const plain = await sync('source-named-zip', 'tower.ifczip', IFC);
    assert.match(plain.report.message, /^Converted 'tower\.ifczip' \(IFC4\): 5 elements/);
  });

  it('a ZIP with two IFC files is refused', async () => {
    const error = await refused(
      'two.ifczip',
      makeZip([
        { name: 'a.ifc', content: IFC },
        { name: 'b.ifc', content: IFC, method: 'deflate' },
      ]),
    );
    assert.match(error.taskError.details ?? '', /the ZIP archive holds 2 IFC files \('a\.ifc', 'b\.ifc'\); an \.ifczip must hold exactly one/);
  });

  it('a ZIP holding ifcXML only, an encrypted IFC file, or an IFC file cut short: refused, saying which', async () => {
    const cases: [Buffer, RegExp][] = [
      [makeZip([{ name: 'tower.ifcXML', content: '<ifcXML/>' }]), /holds ifcXML only \('tower\.ifcXML'\), which is not converted/],
      [makeZip([{ name: 'tower.ifc', content: IFC, encrypted: true }]), /'tower\.ifc' in the ZIP archive is encrypted/],
      [
        makeZip([{ name: 'tower.ifc', content: TRUNCATED, method: 'deflate' }]),
        /'tower\.ifc' in the ZIP archive: the file ends in the middle of entity #70 \(line 32\).*: it is truncated/,
      ],
    ];
    for (const [zip, reason] of cases) assert.match((await refused('x.ifczip', zip)).taskError.details ?? '', reason);
  });
});

describe('warnings in the report', { skip: unavailable }, () => {
  it('a reference to an entity the file does not define: converted, with a structured warning naming the entities', async () => {
    const outcome = await sync('source-dangling', 'dangling.ifc', DANGLING);
    assert.equal(outcome.report.suggestedAction, 'Warning');
    assert.equal(outcome.report.totalWarningsCount, 1);
    assert.match(outcome.report.message, /; #999 is referred to by #96 but the file does not define it; the reference is read as empty\.$/);
    assert.deepEqual((outcome.details?.conversion as { warnings: unknown }).warnings, [
      { code: 'DanglingReference', message: '#999 is referred to by #96 but the file does not define it; the reference is read as empty.', ifcIds: ['#96'] },
    ]);
  });

  it('a product without triangles and several dangling references: the report lists the first three and counts them all', async () => {
    const flat = TWO_WALLS_IFC.replace(
      /^(#80=.*)$/m,
      `$1
#84=IFCRECTANGLEPROFILEDEF(.AREA.,$,#17,0.,0.);
#85=IFCEXTRUDEDAREASOLID(#84,#13,#11,0.);
#86=IFCSHAPEREPRESENTATION(#20,'Body','SweptSolid',(#85));
#87=IFCPRODUCTDEFINITIONSHAPE($,$,(#86));
#88=IFCWALL('0fA8bc$Lz1QwRT5uVxYz9K',$,'Flat wall',$,$,#31,#87,$,$);`,
    ).replace('(#50,#70,#80),#95', '(#50,#70,#80,#88,#991,#992,#993,#994),#95');
    const outcome = await sync('source-flat', 'flat.ifc', flat);
    assert.equal(outcome.report.suggestedAction, 'Warning');
    assert.equal(outcome.report.totalWarningsCount, 5);
    assert.match(
      outcome.report.message,
      /\(5 inserted, 0 updated, 0 unchanged, 0 deleted\); 1 product has a representation without triangles and was left out; #991 is referred to by #96 .* #993 is referred to by #96 but the file does not define it; the reference is read as empty\. \(and 1 more\)\.$/,
    );
    const conversion = outcome.details?.conversion as { warnings: { code: string; ifcIds: string[] }[]; productsWithoutGeometry: number };
    assert.equal(conversion.productsWithoutGeometry, 1);
    assert.deepEqual(
      conversion.warnings.map((w) => `${w.code} ${w.ifcIds.join(',')}`),
      ['ProductWithoutTriangles #88', 'DanglingReference #96', 'DanglingReference #96', 'DanglingReference #96', 'DanglingReference #96'],
    );
  });

  it('a GlobalId used twice: the warning names both products', async () => {
    const twice = TWO_WALLS_IFC.replace(/^(#50=.*)$/m, `$1\n#51=IFCWALL('2O2Fr$t4X7Zf8NOew3FLOH',$,'Wall 1 copy',$,$,#31,#43,$,$);`).replace(
      '(#50,#70,#80),#95',
      '(#50,#51,#70,#80),#95',
    );
    const outcome = await sync('source-twice', 'twice.ifc', twice);
    assert.equal(outcome.report.totalWarningsCount, 1);
    assert.deepEqual((outcome.details?.conversion as { warnings: unknown }).warnings, [
      {
        code: 'DuplicateGlobalId',
        message: 'GlobalId 2O2Fr$t4X7Zf8NOew3FLOH is used by more than one element; #51 is identified by its STEP id as well.',
        ifcIds: ['#50', '#51'],
      },
    ]);
  });
});

describe('STEP structure check (step-scan.ts)', () => {
  const scan = (text: string) => {
    const warnings = new Warnings();
    const summary = scanStep(Buffer.from(text, 'latin1'), warnings);
    return { ...summary, warnings: warnings.list(), total: warnings.total };
  };
  const fails = (text: string, reason: RegExp) =>
    assert.throws(
      () => scan(text),
      (error: unknown) => error instanceof NotAnIfcFile && reason.test(error.message),
    );

  it('reads the fixture: its schema and entities, no warnings', () => {
    assert.deepEqual(scan(TWO_WALLS_IFC), { schemas: ['IFC4'], entities: 33, warnings: [], total: 0 });
  });

  it('takes what STEP allows: comments, quotes and semicolons in strings, complex instances, blanks around =, a byte order mark', () => {
    const text = `\ufeffISO-10303-21;\nHEADER;/* c */FILE_DESCRIPTION((''),'2;1');\nFILE_SCHEMA(('IFC2X3'));\nENDSEC;\nDATA;\n/* a\n comment */\n#1 = IFCLABEL('it''s; (not) #2');\n#2=(A(1) B(#1,"0FF",.T.,$,*,-1.5E-3));\n#3 =IFCX(#1,/* inline */#2);\nENDSEC;\nEND-ISO-10303-21;\n`;
    const bytes = Buffer.from(text, 'utf8');
    const warnings = new Warnings();
    assert.deepEqual(scanStep(bytes, warnings), { schemas: ['IFC2X3'], entities: 3 });
    assert.equal(warnings.total, 0);
  });

  it('names the entity and the line of what is wrong', () => {
    fails(TRUNCATED, /^the file ends in the middle of entity #70 \(line 32\) \(inside a string that begins on line 32\): it is truncated$/);
    fails(
      TWO_WALLS_IFC.slice(0, TWO_WALLS_IFC.indexOf('#70=')),
      /^the file ends after entity #63 \(line 31\) without closing its DATA section \(ENDSEC;\): it is truncated$/,
    );
    fails(TWO_WALLS_IFC.slice(0, TWO_WALLS_IFC.indexOf('END-ISO')), /without END-ISO-10303-21;: it is truncated$/);
    fails(TWO_WALLS_IFC.slice(0, TWO_WALLS_IFC.indexOf('END-ISO') + 5), /^the file ends in the middle of END-ISO-10303-21 \(line 42\): it is truncated$/);
    fails(
      TWO_WALLS_IFC.slice(0, TWO_WALLS_IFC.indexOf('#70=') + 1),
      /^the file ends in the middle of an entity on line 32 \(after entity #63\): it is truncated$/,
    );
    fails(UNBALANCED, /^entity #41 \(line 24\): its parentheses are unbalanced/);
    fails(
      TWO_WALLS_IFC.replace('#41=IFCEXTRUDEDAREASOLID(#40,#13,#11,3.);', '#41=IFCEXTRUDEDAREASOLID(#40,#13,#11,3.));'),
      /^entity #41 \(line 24\): its parentheses are unbalanced: one '\)' too many on line 24$/,
    );
    fails(
      TWO_WALLS_IFC.replace("'Wall 1',", "'Wall 1,"),
      /^entity #50 \(line 27\): a string that begins on line 27 is not closed before entity #60 on line 28$/,
    );
    fails(GARBAGE, /^line 8: expected an entity instance/);
    fails(TWO_WALLS_IFC.replace('#42=', '#42 IFC'), /^line 25: expected '=' after #42/);
    fails(TWO_WALLS_IFC.replace("FILE_SCHEMA(('IFC4'));\n", ''), /no FILE_SCHEMA/);
    fails(TWO_WALLS_IFC.replace("FILE_SCHEMA(('IFC4'))", 'FILE_SCHEMA(())'), /FILE_SCHEMA in the header names no schema/);
    fails(TWO_WALLS_IFC.replace('HEADER;', 'HEADR;'), /^line 2: expected HEADER;/);
    fails('PK\u0003\u0004', /not an IFC \(STEP, ISO-10303-21\) file/);
    fails('', /not an IFC \(STEP, ISO-10303-21\) file/);
    fails(TWO_WALLS_IFC.replace('DATA;', 'DATA;\n/* never closed'), /^the file ends inside a comment that begins on line 8: it is truncated$/);
  });

  it('warns, without failing, of what web-ifc reads past: ids defined twice, references to nothing, content after the end', () => {
    const { warnings, total } = scan(`${TWO_WALLS_IFC.replace('#80=IFCWALL', '#70=IFCWALL').replace('(#50,#70,#80),#95', '(#50,#70,#80,#999,#998),#95')}junk`);
    assert.deepEqual(warnings, [
      { code: 'DuplicateStepId', message: '#70 is defined more than once (again on line 33); only the last definition is read.', ifcIds: ['#70'] },
      { code: 'ContentAfterEnd', message: 'The file goes on after END-ISO-10303-21; (line 43); what follows was ignored.', ifcIds: [] },
      { code: 'DanglingReference', message: '#80 is referred to by #96 but the file does not define it; the reference is read as empty.', ifcIds: ['#96'] },
      { code: 'DanglingReference', message: '#999 is referred to by #96 but the file does not define it; the reference is read as empty.', ifcIds: ['#96'] },
      { code: 'DanglingReference', message: '#998 is referred to by #96 but the file does not define it; the reference is read as empty.', ifcIds: ['#96'] },
    ]);
    assert.equal(total, 5);
  });

  it('a file that refers forwards more than it keeps in memory is read twice, with the same warnings', () => {
    const text = TWO_WALLS_IFC.replace('(#50,#70,#80),#95', '(#50,#70,#80,#999,#998),#95').replace('#1=IFCPROJECT(', '#1=IFCPROJECT(#997,');
    const once = new Warnings();
    const twice = new Warnings();
    assert.deepEqual(scanStep(Buffer.from(text, 'latin1'), once), scanStep(Buffer.from(text, 'latin1'), twice, 1));
    assert.equal(once.total, 3);
    assert.deepEqual(twice.list(), once.list());
  });

  // Real files (the samples of ifc-samples.test.ts, found the same way): not one false alarm, and every cut caught.
  const REPO = path.resolve(import.meta.dirname, '../..');
  const PLACES = [path.join(REPO, 'test/fixtures/ifc-samples'), process.env.TWINSYNC_IFC_SAMPLES, path.resolve(REPO, '../shared/ifc-samples')];
  /** Where a sample file is (duplex.ifc is among the fixtures; the others where the machine has them). */
  const where = (name: string) => PLACES.map((dir) => dir && path.join(dir, name)).find((file): file is string => !!file && fs.existsSync(file));
  const expected: Record<string, { schemas: string[]; entities: number }> = {
    'AC20-FZK-Haus.ifc': { schemas: ['IFC4'], entities: 44249 },
    'IfcOpenHouse_IFC4.ifc': { schemas: ['IFC4'], entities: 2885 },
    'duplex.ifc': { schemas: ['IFC2X3'], entities: 38898 },
  };
  for (const [name, summary] of Object.entries(expected)) {
    it(`passes ${name} without a warning, and fails it cut anywhere`, { skip: where(name) ? false : `${name} is not here` }, () => {
      const bytes = fs.readFileSync(where(name)!);
      const warnings = new Warnings();
      assert.deepEqual(scanStep(bytes, warnings), summary, name);
      assert.deepEqual(warnings.list(), [], name);
      for (let cut = 100; cut < bytes.length - 20; cut += Math.floor(bytes.length / 40)) {
        assert.throws(() => scanStep(bytes.subarray(0, cut), new Warnings()), /truncated/, `${name} cut at byte ${cut}`);
      }
    });
  }

  it('keeps at most 100 warnings of at most 20 entities each, and counts them all', () => {
    const referrers = Array.from({ length: 30 }, (_, k) => `#${1000 + k}=IFCX(#5000);`).join('\n');
    const missing = Array.from({ length: 150 }, (_, k) => `#${2000 + k}=IFCX(#${6000 + k});`).join('\n');
    const { warnings, total } = scan(TWO_WALLS_IFC.replace('ENDSEC;\nEND-ISO', `${referrers}\n${missing}\nENDSEC;\nEND-ISO`));
    assert.equal(warnings.length, 100);
    assert.equal(warnings[0]!.ifcIds.length, 20);
    assert.equal(total, 151);
  });
});

describe('.ifczip reader (ifc-zip.ts)', () => {
  const read = (zip: Buffer) => ifcInZip(zip).then(({ name, content }) => ({ name, same: content.equals(IFC) }));

  it('recognises a ZIP by its first bytes', () => {
    assert.equal(isZip(makeZip([{ name: 'a.ifc', content: IFC }])), true);
    assert.equal(isZip(IFC), false);
    assert.equal(isZip(Buffer.from('PK')), false);
  });

  it('reads stored and deflated entries, data descriptors, ZIP64, leaving folders and macOS metadata aside', async () => {
    for (const zip64 of [false, true]) {
      for (const dataDescriptor of [false, true]) {
        for (const method of ['stored', 'deflate'] as const) {
          const zip = makeZip(
            [
              { name: 'model/', content: '' },
              { name: '__MACOSX/model/._tower.ifc', content: 'resource fork' },
              { name: 'model/tower.ifc', content: IFC, method },
            ],
            { zip64, dataDescriptor },
          );
          assert.deepEqual(await read(zip), { name: 'model/tower.ifc', same: true }, `zip64 ${zip64}, descriptor ${dataDescriptor}, ${method}`);
        }
      }
    }
  });

  it('reads an archive of one IFC file whatever that file is called (zip - < model.ifc names it "-")', async () => {
    const zip = makeZip([{ name: '-', content: IFC, method: 'deflate' }]);
    const { name, content } = await ifcInZip(zip);
    assert.deepEqual([name, content.equals(IFC)], ['-', true]);
  });

  it('refuses, saying why: several IFC files, ifcXML only, encrypted, no IFC, damaged, cut short', async () => {
    const deflated = makeZip([{ name: 'tower.ifc', content: IFC, method: 'deflate' }]);
    const corrupt = Buffer.from(deflated);
    corrupt[60] = corrupt[60]! ^ 0xff; // inside the deflated data
    const cases: [Buffer, RegExp][] = [
      [
        makeZip([
          { name: 'a.ifc', content: IFC },
          { name: 'b/c.IFC', content: IFC },
        ]),
        /holds 2 IFC files \('a\.ifc', 'b\/c\.IFC'\)/,
      ],
      [makeZip([{ name: 'a.ifcxml', content: 'x' }]), /holds ifcXML only/],
      [makeZip([{ name: 'a.ifc', content: IFC, encrypted: true }]), /'a\.ifc' in the ZIP archive is encrypted/],
      [makeZip([{ name: 'notes.txt', content: 'x' }]), /holds no \.ifc file \(it holds 'notes\.txt'\)/],
      [makeZip([]), /the ZIP archive is empty/],
      [corrupt, /'tower\.ifc' in the ZIP archive is damaged/],
      [deflated.subarray(0, deflated.length - 30), /it begins like a ZIP archive but has no central directory/],
    ];
    for (const [zip, reason] of cases) {
      await assert.rejects(ifcInZip(zip), (error: unknown) => error instanceof NotAnIfcFile && reason.test(error.message), String(reason));
    }
  });
});

describe('web-ifc failures in words (web-ifc-guard.ts)', () => {
  it('what web-ifc throws is described, never "[object …]"', () => {
    const wasm = (globalThis as unknown as { WebAssembly: { Tag: new (t: object) => object; Exception: new (tag: object, args: unknown[]) => object } })
      .WebAssembly;
    const exception = new wasm.Exception(new wasm.Tag({ parameters: [] }), []);
    assert.equal(String(exception), '[object WebAssembly.Exception]', 'what the task said before');
    assert.match(describeThrown(exception), /^an internal error \(a C\+\+ exception web-ifc gives no message for\)/);
    assert.equal(describeThrown(new TypeError('x is undefined')), 'TypeError: x is undefined');
    assert.equal(describeThrown({ code: 7 }), 'an unexpected value thrown ({"code":7})');
    assert.equal(describeThrown(Object.create(null)), 'an unexpected Object thrown');
  });

  it('web-ifc failing on a file (here: its header cut short, read without the structure check) is the file’s fault, in words', {
    skip: unavailable,
  }, async () => {
    const { openIfc } = await import('../../src/connectors/ifc/read-ifc.js');
    await assert.rejects(
      openIfc(Buffer.from(TWO_WALLS_IFC.slice(0, 200), 'latin1')),
      (error: unknown) => error instanceof NotAnIfcFile && /^web-ifc could not read the file: OpenModel failed with TypeError: /.test(error.message),
    );
  });
});
