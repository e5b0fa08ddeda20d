import fs from 'node:fs';

/**
 * Generated IFC4 files for the IFC bench (bench/ifc.ts): one project, site, building and storey,
 * and `elements` walls and slabs (alternating) contained in the storey, each with a placement, a
 * body of its own and a property set of five values (its own IfcRelDefinesByProperties), as an
 * authoring tool writes them. The body is either an extruded rectangle (12 triangles once web-ifc
 * has meshed it) or a faceted B-rep of `trianglesPerElement` triangular faces (a wavy sheet), for
 * files whose weight is in their triangles.
 *
 * `changed` (an element index) gives that one element another name, another property value and a
 * longer body, everything else byte for byte the same: the one-changed-element re-sync.
 */
export interface IfcGenerateOptions {
  elements: number;
  /** 'extruded' (default) or 'brep'. */
  body?: 'extruded' | 'brep';
  /** Triangles of each B-rep body (rounded up to an even number); ignored for extruded bodies. */
  trianglesPerElement?: number;
  /** The index of the one element that differs from the unchanged file. */
  changed?: number;
}

export interface GeneratedIfc {
  bytes: number;
  elements: number;
  /** Triangles web-ifc should yield in all (B-rep bodies: exact; extruded: 12 per element). */
  triangles: number;
}

/** Writes the file in chunks (a 50 MB file is never held whole). */
export function writeIfc(file: string, options: IfcGenerateOptions): GeneratedIfc {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let chunk: string[] = [];
  const flush = () => {
    const text = `${chunk.join('\n')}\n`;
    bytes += fs.writeSync(fd, text);
    chunk = [];
  };
  const line = (text: string) => {
    chunk.push(text);
    if (chunk.length >= 2000) flush();
  };
  let triangles = 0;
  try {
    for (const text of HEAD) line(text);
    let id = 1000;
    const next = () => id++;
    const contained: number[] = [];
    for (let i = 0; i < options.elements; i++) {
      const changed = i === options.changed;
      const slab = i % 2 === 1;
      // On a 100-wide grid, 6 m apart, all on the one storey.
      const point = next();
      line(`#${point}=IFCCARTESIANPOINT((${(i % 100) * 6}.,${Math.floor(i / 100) * 6}.,0.));`);
      const axes = next();
      line(`#${axes}=IFCAXIS2PLACEMENT3D(#${point},#11,#12);`);
      const placement = next();
      line(`#${placement}=IFCLOCALPLACEMENT(#${STOREY_PLACEMENT},#${axes});`);
      let item: number;
      let kind: string;
      if (options.body === 'brep') {
        const sheet = brepLines(next, Math.max(2, options.trianglesPerElement ?? 1000), changed ? 0.5 : 0);
        for (const text of sheet.lines) line(text);
        item = sheet.id;
        triangles += sheet.triangles;
        kind = 'Brep';
      } else {
        // Lengths vary per element, so that no two bodies are the same mesh.
        const length = 3 + (i % 7) * 0.5 + (changed ? 1 : 0);
        const profile = next();
        line(`#${profile}=IFCRECTANGLEPROFILEDEF(.AREA.,$,#17,${fixed(length)},${slab ? '4.' : '0.2'});`);
        item = next();
        line(`#${item}=IFCEXTRUDEDAREASOLID(#${profile},#13,#11,${slab ? '0.25' : '3.'});`);
        triangles += 12;
        kind = 'SweptSolid';
      }
      const shape = next();
      line(`#${shape}=IFCSHAPEREPRESENTATION(#20,'Body','${kind}',(#${item}));`);
      const definition = next();
      line(`#${definition}=IFCPRODUCTDEFINITIONSHAPE($,$,(#${shape}));`);
      const element = next();
      const name = `${slab ? 'Slab' : 'Wall'} ${i}${changed ? ' (changed)' : ''}`;
      line(
        slab
          ? `#${element}=IFCSLAB('${globalId(i)}',#5,'${name}',$,$,#${placement},#${definition},'S-${i}',.FLOOR.);`
          : `#${element}=IFCWALL('${globalId(i)}',#5,'${name}',$,$,#${placement},#${definition},'W-${i}',.STANDARD.);`,
      );
      contained.push(element);
      const values = [
        `IFCPROPERTYSINGLEVALUE('Reference',$,IFCIDENTIFIER('${slab ? 'S' : 'W'}-${i % 37}'),$)`,
        `IFCPROPERTYSINGLEVALUE('IsExternal',$,IFCBOOLEAN(${i % 3 === 0 ? '.T.' : '.F.'}),$)`,
        `IFCPROPERTYSINGLEVALUE('LoadBearing',$,IFCBOOLEAN(${i % 2 === 0 ? '.T.' : '.F.'}),$)`,
        `IFCPROPERTYSINGLEVALUE('FireRating',$,IFCLABEL('${changed ? 'REI 120' : 'REI 60'}'),$)`,
        `IFCPROPERTYSINGLEVALUE('ThermalTransmittance',$,IFCTHERMALTRANSMITTANCEMEASURE(${fixed(0.2 + (i % 11) * 0.01)}),$)`,
      ];
      const propertyIds = values.map((text) => {
        const pid = next();
        line(`#${pid}=${text};`);
        return pid;
      });
      const set = next();
      line(
        `#${set}=IFCPROPERTYSET('${globalId(i, 1)}',#5,'${slab ? 'Pset_SlabCommon' : 'Pset_WallCommon'}',$,(${propertyIds.map((p) => `#${p}`).join(',')}));`,
      );
      line(`#${next()}=IFCRELDEFINESBYPROPERTIES('${globalId(i, 2)}',#5,$,$,(#${element}),#${set});`);
    }
    if (contained.length > 0) {
      line(`#${next()}=IFCRELCONTAINEDINSPATIALSTRUCTURE('${globalId(0, 3)}',#5,$,$,(${contained.map((e) => `#${e}`).join(',')}),#${STOREY});`);
    }
    line('ENDSEC;');
    line('END-ISO-10303-21;');
    flush();
  } finally {
    fs.closeSync(fd);
  }
  return { bytes, elements: options.elements, triangles };
}

// The storey and its placement, fixed ids in the head below.
const STOREY = 34;
const STOREY_PLACEMENT = 33;

/** Project, units, context, owner history, site → building → storey: everything but the elements. */
const HEAD = [
  'ISO-10303-21;',
  'HEADER;',
  "FILE_DESCRIPTION(('ViewDefinition [ReferenceView]'),'2;1');",
  "FILE_NAME('bench.ifc','2026-12-06T00:00:00',('twinsync'),('twinsync'),'twinsync bench','twinsync bench','');",
  "FILE_SCHEMA(('IFC4'));",
  'ENDSEC;',
  'DATA;',
  "#1=IFCPROJECT('0YvctVUKr0kugbFTf53O9L',#5,'Bench',$,$,$,$,(#20),#7);",
  "#2=IFCPERSON($,'Bench',$,$,$,$,$,$);",
  "#3=IFCORGANIZATION($,'twinsync',$,$,$);",
  '#4=IFCPERSONANDORGANIZATION(#2,#3,$);',
  '#5=IFCOWNERHISTORY(#4,#6,$,.ADDED.,$,$,$,1764979200);',
  "#6=IFCAPPLICATION(#3,'1','twinsync bench','bench');",
  '#7=IFCUNITASSIGNMENT((#8,#9));',
  '#8=IFCSIUNIT(*,.LENGTHUNIT.,$,.METRE.);',
  '#9=IFCSIUNIT(*,.AREAUNIT.,$,.SQUARE_METRE.);',
  '#10=IFCCARTESIANPOINT((0.,0.,0.));',
  '#11=IFCDIRECTION((0.,0.,1.));',
  '#12=IFCDIRECTION((1.,0.,0.));',
  '#13=IFCAXIS2PLACEMENT3D(#10,#11,#12);',
  '#17=IFCAXIS2PLACEMENT2D(#18,$);',
  '#18=IFCCARTESIANPOINT((0.,0.));',
  "#20=IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-05,#13,$);",
  '#21=IFCAXIS2PLACEMENT3D(#10,#11,#12);',
  '#22=IFCLOCALPLACEMENT($,#21);',
  "#23=IFCSITE('2YvctVUKr0kugbFTf53O9L',#5,'Site',$,$,#22,$,$,.ELEMENT.,$,$,$,$,$);",
  '#24=IFCAXIS2PLACEMENT3D(#10,#11,#12);',
  '#25=IFCLOCALPLACEMENT(#22,#24);',
  "#26=IFCBUILDING('3YvctVUKr0kugbFTf53O9L',#5,'Building',$,$,#25,$,$,.ELEMENT.,$,$,$);",
  "#27=IFCRELAGGREGATES('0YvctVUKr0kugbFTf53O9M',#5,$,$,#1,(#23));",
  "#28=IFCRELAGGREGATES('0YvctVUKr0kugbFTf53O9N',#5,$,$,#23,(#26));",
  '#31=IFCCARTESIANPOINT((0.,0.,0.));',
  '#32=IFCAXIS2PLACEMENT3D(#31,#11,#12);',
  `#${STOREY_PLACEMENT}=IFCLOCALPLACEMENT(#25,#32);`,
  `#${STOREY}=IFCBUILDINGSTOREY('1YvctVUKr0kugbFTf53O9L',#5,'Level 0',$,$,#${STOREY_PLACEMENT},$,'Ground floor',.ELEMENT.,0.);`,
  `#35=IFCRELAGGREGATES('0YvctVUKr0kugbFTf53O9O',#5,$,$,#26,(#${STOREY}));`,
];

/**
 * A faceted B-rep of at least `triangles` triangular faces: a sheet of n × n quads, two triangles
 * each, waving in z (so that no face is flat with its neighbours), `lift` metres higher for a
 * changed element. Its points are shared by the faces around them, as exporters write them.
 */
function brepLines(next: () => number, triangles: number, lift: number): { lines: string[]; id: number; triangles: number } {
  const n = Math.ceil(Math.sqrt(triangles / 2));
  const step = 4 / n;
  const lines: string[] = [];
  const points: number[] = [];
  for (let y = 0; y <= n; y++) {
    for (let x = 0; x <= n; x++) {
      const id = next();
      const z = lift + 0.3 * Math.sin(x * 0.7) * Math.cos(y * 0.9);
      lines.push(`#${id}=IFCCARTESIANPOINT((${fixed(x * step)},${fixed(y * step)},${fixed(z)}));`);
      points.push(id);
    }
  }
  const faces: number[] = [];
  const face = (a: number, b: number, c: number) => {
    const loop = next();
    lines.push(`#${loop}=IFCPOLYLOOP((#${a},#${b},#${c}));`);
    const bound = next();
    lines.push(`#${bound}=IFCFACEOUTERBOUND(#${loop},.T.);`);
    const id = next();
    lines.push(`#${id}=IFCFACE((#${bound}));`);
    faces.push(id);
  };
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const p = (xx: number, yy: number) => points[yy * (n + 1) + xx]!;
      face(p(x, y), p(x + 1, y), p(x + 1, y + 1));
      face(p(x, y), p(x + 1, y + 1), p(x, y + 1));
    }
  }
  const shell = next();
  lines.push(`#${shell}=IFCCLOSEDSHELL((${faces.map((f) => `#${f}`).join(',')}));`);
  const id = next();
  lines.push(`#${id}=IFCFACETEDBREP(#${shell});`);
  return { lines, id, triangles: faces.length };
}

/** A real number as STEP writes it: always with a point. */
function fixed(value: number): string {
  const text = String(Math.round(value * 1e6) / 1e6);
  return text.includes('.') || text.includes('E') || text.includes('e') ? text : `${text}.`;
}

/**
 * 22 characters of IFC's base-64 alphabet, distinct per element and `salt` (0: the element, 1: its
 * property set, 2: its relation, 3: the containment). The first character is 0 to 3, as in every
 * GlobalId that encodes a GUID.
 */
export function globalId(i: number, salt = 0): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$';
  let text = '';
  for (let n = i * 4 + salt + 1; text.length < 21; n = Math.floor(n / 64)) text = alphabet[n % 64] + text;
  return `2${text}`;
}
