import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BuiltinIfcConnector, builtinIfcUnavailable } from '../src/connectors/builtin-ifc.js';
import { parseConnectorsConfig, type BuiltinSettings } from '../src/connectors/config.js';
import type { ConnectorInput } from '../src/connectors/connector.js';

export interface IfcBenchResult {
  walls: number;
  fileBytes: number;
  /** One task converting an IFC file without products: starting the converter, opening and saving the iModel. */
  fixedMs: number;
  /** One task converting the file of `walls` walls. */
  totalMs: number;
  /** Walls written per second beyond the fixed cost. */
  elementsPerSecond: number;
  bimBytes: number;
}

/**
 * The builtin IFC connector, as a worker calls it: a task converting a generated IFC4 file of
 * `walls` walls (each an extruded rectangle with a placement of its own), against the same task on
 * a file with no products, measured in the same run: the difference is what the conversion itself
 * costs. Skipped, with the reason, where iTwin.js is not installed.
 */
export async function benchIfc(options: { dataDir: string; walls?: number }): Promise<IfcBenchResult | { skipped: string }> {
  const unavailable = builtinIfcUnavailable();
  if (unavailable) return { skipped: unavailable };
  const walls = options.walls ?? 5000;
  const dir = path.join(options.dataDir, 'ifc-bench');
  fs.mkdirSync(dir, { recursive: true });
  const settings = parseConnectorsConfig({ types: { IFC: { kind: 'builtin' } } }, 'bench').types.IFC as BuiltinSettings;
  const connector = new BuiltinIfcConnector(settings, dir);

  const convert = async (content: string) => {
    const n = randomUUID();
    const filePath = path.join(dir, `${n}.ifc`);
    fs.writeFileSync(filePath, content);
    const outputDir = path.join(dir, 'work', n);
    fs.mkdirSync(outputDir, { recursive: true });
    const input: ConnectorInput = {
      action: 'sync',
      connectorType: 'IFC',
      iModelId: n,
      sourceFileId: n,
      storageFileId: n,
      fileName: `${n}.ifc`,
      filePath,
      size: Buffer.byteLength(content),
      contentHash: createHash('sha256').update(content).digest('hex'),
      outputDir,
      attempt: 0,
      signal: new AbortController().signal,
      // Each conversion is the first version of an iModel of its own.
      changeset: { id: createHash('sha1').update(n).digest('hex'), index: 1, parentId: '' },
      checkpoint: { base: null, target: path.join(dir, 'imodels', n, 'checkpoints', '1.bim'), iTwinId: randomUUID() },
    };
    const started = performance.now();
    const outcome = await connector.run(input);
    const ms = performance.now() - started;
    const elements = (outcome.details?.conversion as { elements?: number } | undefined)?.elements;
    return { ms, elements, bimBytes: fs.statSync(input.checkpoint!.target).size };
  };

  // The first task starts the converter process (and fills tsx's transform cache); the next ones find it warm.
  let fixed: Awaited<ReturnType<typeof convert>>;
  let full: Awaited<ReturnType<typeof convert>>;
  const file = ifcWithWalls(walls);
  try {
    await convert(ifcWithWalls(0));
    fixed = await convert(ifcWithWalls(0));
    full = await convert(file);
  } finally {
    await connector.close();
  }
  if (full.elements !== walls) throw new Error(`ifc bench: ${full.elements} elements written, ${walls} expected`);
  return {
    walls,
    fileBytes: Buffer.byteLength(file),
    fixedMs: fixed.ms,
    totalMs: full.ms,
    elementsPerSecond: walls / (Math.max(full.ms - fixed.ms, 1) / 1000),
    bimBytes: full.bimBytes,
  };
}

/** An IFC4 file with `count` walls on a 100-wide grid, 5 m apart, sharing one body shape. */
export function ifcWithWalls(count: number): string {
  const lines = [
    'ISO-10303-21;',
    'HEADER;',
    "FILE_DESCRIPTION(('ViewDefinition [ReferenceView]'),'2;1');",
    "FILE_NAME('bench.ifc','2026-11-29T00:00:00',(''),(''),'twinsync bench','twinsync bench','');",
    "FILE_SCHEMA(('IFC4'));",
    'ENDSEC;',
    'DATA;',
    "#1=IFCPROJECT('0YvctVUKr0kugbFTf53O9L',$,'Bench',$,$,$,$,(#20),#7);",
    '#2=IFCSIUNIT(*,.LENGTHUNIT.,$,.METRE.);',
    '#7=IFCUNITASSIGNMENT((#2));',
    '#10=IFCCARTESIANPOINT((0.,0.,0.));',
    '#11=IFCDIRECTION((0.,0.,1.));',
    '#12=IFCDIRECTION((1.,0.,0.));',
    '#13=IFCAXIS2PLACEMENT3D(#10,#11,#12);',
    '#17=IFCAXIS2PLACEMENT2D(#18,$);',
    '#18=IFCCARTESIANPOINT((0.,0.));',
    "#20=IFCGEOMETRICREPRESENTATIONCONTEXT($,'Model',3,1.E-05,#13,$);",
    '#40=IFCRECTANGLEPROFILEDEF(.AREA.,$,#17,4.,0.2);',
    '#41=IFCEXTRUDEDAREASOLID(#40,#13,#11,3.);',
    "#42=IFCSHAPEREPRESENTATION(#20,'Body','SweptSolid',(#41));",
    '#43=IFCPRODUCTDEFINITIONSHAPE($,$,(#42));',
  ];
  let id = 100;
  for (let i = 0; i < count; i++) {
    const point = id++;
    const axes = id++;
    const placement = id++;
    lines.push(`#${point}=IFCCARTESIANPOINT((${(i % 100) * 5}.,${Math.floor(i / 100) * 5}.,0.));`);
    lines.push(`#${axes}=IFCAXIS2PLACEMENT3D(#${point},#11,#12);`);
    lines.push(`#${placement}=IFCLOCALPLACEMENT($,#${axes});`);
    lines.push(`#${id++}=IFCWALL('${globalId(i)}',$,'Wall ${i}',$,$,#${placement},#43,$,$);`);
  }
  lines.push('ENDSEC;', 'END-ISO-10303-21;');
  return `${lines.join('\n')}\n`;
}

/** 22 characters of IFC's base-64 alphabet, distinct per wall. */
function globalId(i: number): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$';
  let text = '';
  for (let n = i + 1; text.length < 22; n = Math.floor(n / 64)) text = alphabet[n % 64] + text;
  return `1${text.slice(1)}`;
}
