/** Small IFC files for the warm-converter bench and tests. */
import { globalId } from './ifc-generate.js';

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
