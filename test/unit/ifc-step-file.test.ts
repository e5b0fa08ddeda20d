import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { IfcUnits } from '../../src/connectors/ifc/ifc-units.js';
import { DERIVED, StepFile } from '../../src/connectors/ifc/step-file.js';

const file = (data: string) =>
  StepFile.index(
    Buffer.from(
      `ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('a DATA; #1=FAKE(); in a string'),'2;1');\nFILE_SCHEMA(('IFC2X3'));\nENDSEC;\nDATA;\n${data}\nENDSEC;\nEND-ISO-10303-21;\n`,
      'utf8',
    ),
  );

describe('STEP text reading (attributes by position)', () => {
  it('reads every kind of attribute value exactly as written, * and $ included', () => {
    const f = file(
      [
        "#1=IFCWALL('2O2Fr$t4X7Zf8NOew3FLOH',*,'Wall ''A''; (east)',$,.T.,#20,(#21,#22),-1.5E-3,IFCLABEL('x'),((1.,2.),(3.,4.)),\"0FF\");",
        '/* a comment with #99=IFCSLAB(); inside */',
        '#2 = IFCSLAB ( $ , 12 ) ;',
        '#3=(IFCA() IFCB());',
      ].join('\n'),
    );
    assert.deepEqual(f.entity(1), {
      id: 1,
      type: 'IFCWALL',
      attributes: [
        '2O2Fr$t4X7Zf8NOew3FLOH',
        DERIVED,
        "Wall 'A'; (east)",
        null,
        { enum: 'T' },
        { ref: 20 },
        [{ ref: 21 }, { ref: 22 }],
        -0.0015,
        { type: 'IFCLABEL', value: 'x' },
        [
          [1, 2],
          [3, 4],
        ],
        '0FF',
      ],
    });
    assert.deepEqual(f.entity(2)?.attributes, [null, 12]);
    // A comment where white space may be is white space.
    const commented = file("#5=IFCWALL('g', /* owner */ #2,'Wall 1',$);\n#6=IFCSLAB(#2, ? ,3);");
    assert.deepEqual(commented.entity(5)?.attributes, ['g', { ref: 2 }, 'Wall 1', null]);
    assert.deepEqual(commented.refsOf(5), [2]);
    // A byte that is no value is read as unset, not as a number.
    assert.deepEqual(commented.entity(6)?.attributes, [{ ref: 2 }, null, 3]);
    // A complex instance is left out; a comment is not an instance; the header's text is not data.
    assert.equal(f.has(3), false);
    assert.equal(f.has(99), false);
    assert.deepEqual(f.idsOf('FAKE'), []);
    assert.deepEqual(f.idsOf('IFCWALL', 'IFCSLAB'), [1, 2]);
  });

  it('decodes STEP string escapes and UTF-8 written directly', () => {
    const f = file(["#1=IFCLABEL('Gel\\X2\\00E4\\X0\\nde \\X\\E4 \\S\\d \\X4\\0001F600\\X0\\ \\\\');", "#2=IFCLABEL('Größe');"].join('\n'));
    assert.equal(f.entity(1)!.attributes[0], 'Gelände ä ä 😀 \\');
    assert.equal(f.entity(2)!.attributes[0], 'Größe');
    // An escape's output is not read again: a path with escaped backslashes stays a path.
    assert.equal(file("#3=IFCLABEL('C:\\\\S\\\\x');").entity(3)!.attributes[0], 'C:\\S\\x');
  });

  it('reads the project’s units: prefixes, conversion-based units (feet, degrees), derived units, offsets (°C, °F)', () => {
    const f = file(
      [
        '#1=IFCPROJECT($,$,$,$,$,$,$,$,#2);',
        '#2=IFCUNITASSIGNMENT((#3,#4,#6,#8,#9,#12));',
        '#3=IFCSIUNIT(*,.LENGTHUNIT.,.MILLI.,.METRE.);',
        '#4=IFCSIUNIT(*,.AREAUNIT.,$,.SQUARE_METRE.);',
        '#5=IFCMEASUREWITHUNIT(IFCPLANEANGLEMEASURE(0.0174532925199433),#7);',
        "#6=IFCCONVERSIONBASEDUNIT(#10,.PLANEANGLEUNIT.,'DEGREE',#5);",
        '#7=IFCSIUNIT(*,.PLANEANGLEUNIT.,$,.RADIAN.);',
        '#8=IFCSIUNIT(*,.MASSUNIT.,.KILO.,.GRAM.);',
        "#9=IFCCONVERSIONBASEDUNITWITHOFFSET(#10,.THERMODYNAMICTEMPERATUREUNIT.,'degree Fahrenheit',#11,-459.67);",
        '#10=IFCDIMENSIONALEXPONENTS(0,0,0,0,0,0,0);',
        '#11=IFCMEASUREWITHUNIT(IFCTHERMODYNAMICTEMPERATUREMEASURE(0.555555555555556),#13);',
        '#12=IFCDERIVEDUNIT((#14,#15),.THERMALTRANSMITTANCEUNIT.,$);',
        '#13=IFCSIUNIT(*,.THERMODYNAMICTEMPERATUREUNIT.,$,.KELVIN.);',
        '#14=IFCDERIVEDUNITELEMENT(#16,1);',
        '#15=IFCDERIVEDUNITELEMENT(#3,-2);',
        '#16=IFCSIUNIT(*,.POWERUNIT.,.KILO.,.WATT.);',
      ].join('\n'),
    );
    const units = IfcUnits.read(f);
    assert.equal(units.toSi('LENGTHUNIT', 2500), 2.5);
    assert.equal(units.toSi('AREAUNIT', 3), 3);
    assert.equal(units.toSi('PLANEANGLEUNIT', 180), 3.14159265358979);
    assert.equal(units.toSi('MASSUNIT', 7), 7);
    assert.equal(units.toSi('THERMODYNAMICTEMPERATUREUNIT', 32), 273.15);
    // kW per square millimetre per kelvin: 1e3 / 1e-6.
    assert.equal(units.toSi('THERMALTRANSMITTANCEUNIT', 1), 1e9);
    // Not assigned: SI.
    assert.equal(units.toSi('VOLUMEUNIT', 4), 4);
  });
});

describe('STEP text read back from the file once indexed (step-text.ts)', () => {
  it('reads every instance as the held text does: small ones in shared blocks, ones across blocks, ones larger than a block', () => {
    // Instances of every size, so that some start in one 64 kB block and end in the next, and
    // some span several; a name with a quote and a semicolon, and references in a long list.
    const lines: string[] = [];
    for (let id = 1; id <= 1500; id++) {
      const points = Array.from({ length: (id * 37) % 120 }, (_, k) => `(${k}.5,${id}.25,-${k}.)`).join(',');
      lines.push(`#${id}=IFCPOLYLOOP('loop ''${id}''; of ${id}',(${points}),(#${Math.max(1, id - 1)},#${Math.max(1, id - 2)}));`);
    }
    lines.push(`#1501=IFCCARTESIANPOINTLIST3D((${Array.from({ length: 20_000 }, (_, k) => `(${k}.,1.,2.)`).join(',')}));`);
    const text = Buffer.from(
      `ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION((''),'2;1');\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\n${lines.join('\n')}\nENDSEC;\nEND-ISO-10303-21;\n`,
      'latin1',
    );
    assert.ok(text.length > 20 * 65_536, `${text.length} bytes`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-step-text-'));
    try {
      const name = path.join(dir, 'model.ifc');
      fs.writeFileSync(name, text);
      const held = StepFile.index(text);
      const readBack = StepFile.index(Buffer.from(text));
      readBack.readFrom(fs.openSync(name, 'r'));
      // The path changed meanwhile: the open descriptor still reads the indexed file.
      fs.renameSync(name, `${name}.moved`);
      assert.deepEqual(Buffer.from(readBack.header()), Buffer.from(held.header()));
      // Out of file order too, so that blocks are evicted and read again.
      const ids = [...Array.from({ length: 1501 }, (_, k) => k + 1), ...Array.from({ length: 500 }, (_, k) => 1501 - ((k * 1237) % 1501))];
      for (const id of ids) {
        assert.deepEqual(readBack.entity(id), held.entity(id), `#${id}`);
        assert.deepEqual(readBack.refsOf(id), held.refsOf(id), `#${id}`);
        assert.deepEqual(Buffer.from(readBack.raw(id)), Buffer.from(held.raw(id)), `#${id}`);
        const a = Buffer.alloc(held.instanceLength(id));
        const b = Buffer.alloc(held.instanceLength(id));
        assert.equal(readBack.writeInstance(id, a, 0), held.writeInstance(id, b, 0));
        assert.deepEqual(a, b, `#${id}`);
      }
      readBack.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
