import fs from 'node:fs';
import path from 'node:path';

/** test/fixtures/two-walls.ifc: IFC4, two walls and a slab on storey "Level 1", Wall 1 with Pset_WallCommon. */
export const TWO_WALLS_IFC = fs.readFileSync(path.join(import.meta.dirname, '../fixtures/two-walls.ifc'), 'latin1');

/** The fixture without its slab, second wall, property set and storey: one bare IfcWall. */
export const ONE_WALL_IFC = TWO_WALLS_IFC.split('\n')
  .filter((line) => !/^#(70|80|9\d)=/.test(line))
  .join('\n');
