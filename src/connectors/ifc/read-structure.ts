import type { IfcUnits } from './ifc-units.js';
import { parentsFirst } from './parents-first.js';
import { type StepFile, step } from './step-file.js';

/**
 * An IFC file's spatial structure and aggregation, read from its relationships:
 * - the spatial tree (project → site → building → storey → space) from IfcRelAggregates between
 *   spatial elements;
 * - which spatial element contains each element (IfcRelContainedInSpatialStructure);
 * - which element each part belongs to (IfcRelAggregates between elements: the parts of an
 *   assembly, a curtain wall, a stair, a roof), so that parts, which files seldom place in a storey
 *   themselves, are contained where their aggregate is;
 * - which spatial elements reference each element besides the one containing it
 *   (IfcRelReferencedInSpatialStructure: a column running through three storeys, a wall bounding
 *   two spaces).
 */
export interface IfcSpatialNode {
  expressId: number;
  /** `IFCPROJECT`, `IFCSITE`, `IFCBUILDING`, `IFCBUILDINGSTOREY`, `IFCSPACE` or an IFC4X3 facility. */
  type: (typeof SPATIAL_TYPES)[number];
  /** The entity's name as IFC spells it (`IfcBuildingStorey`). */
  ifcClass: string;
  globalId: string;
  name: string | null;
  longName: string | null;
  /** Storeys: in metres. */
  elevation: number | null;
  /** The spatial element it is part of (null for the root). */
  parentId: number | null;
}

export interface IfcStructure {
  /** Parents before their children. */
  nodes: IfcSpatialNode[];
  /** Element → the spatial element that contains it, directly or through its aggregates. */
  containerOf: Map<number, number>;
  /** Part → the element it is a part of. */
  aggregateOf: Map<number, number>;
  /**
   * Element → the spatial elements that reference it, in file order, each once. As the file says
   * it: not followed through aggregation (a reference is explicit, and the parts of a referenced
   * aggregate hang under it already).
   */
  referencedIn: Map<number, number[]>;
}

/** The spatial structure's entities (IFC4X3's facilities included), as STEP writes them. */
export const SPATIAL_TYPES = [
  'IFCPROJECT',
  'IFCSITE',
  'IFCBUILDING',
  'IFCBUILDINGSTOREY',
  'IFCSPACE',
  'IFCFACILITY',
  'IFCROAD',
  'IFCBRIDGE',
  'IFCRAILWAY',
  'IFCMARINEFACILITY',
  'IFCFACILITYPART',
  'IFCFACILITYPARTCOMMON',
  'IFCROADPART',
  'IFCBRIDGEPART',
  'IFCRAILWAYPART',
  'IFCMARINEPART',
  'IFCSPATIALZONE',
  'IFCEXTERNALSPATIALELEMENT',
] as const;

/**
 * Reads the structure from the STEP text by attribute position (IfcRoot: GlobalId 0, Name 2;
 * spatial elements: LongName 7, a storey's Elevation 9; IfcRelAggregates: whole 4, parts 5;
 * IfcRelContainedInSpatialStructure and IfcRelReferencedInSpatialStructure: elements 4, structure 5).
 */
export function readStructure(file: StepFile, units: IfcUnits, className: (type: string) => string): IfcStructure {
  const nodes = new Map<number, IfcSpatialNode>();
  for (const type of SPATIAL_TYPES) {
    for (const id of file.idsOf(type)) {
      const a = file.entity(id)!.attributes;
      const elevation = type === 'IFCBUILDINGSTOREY' ? step.number(a[9]) : null;
      nodes.set(id, {
        expressId: id,
        type,
        ifcClass: className(type),
        globalId: step.text(a[0]) ?? `#${id}`,
        name: step.text(a[2]),
        longName: type === 'IFCPROJECT' ? step.text(a[5]) : step.text(a[7]),
        elevation: elevation === null ? null : units.toSi('LENGTHUNIT', elevation),
        parentId: null,
      });
    }
  }

  const aggregateOf = new Map<number, number>();
  for (const id of file.idsOf('IFCRELAGGREGATES')) {
    const a = file.entity(id)!.attributes;
    const whole = step.ref(a[4]);
    if (whole === null) continue;
    for (const part of step.refs(a[5])) {
      const node = nodes.get(part);
      if (node) {
        // The spatial tree: only a spatial element can be a spatial element's parent.
        if (nodes.has(whole) && whole !== part) node.parentId = whole;
      } else if (!nodes.has(whole) && whole !== part) {
        aggregateOf.set(part, whole);
      }
    }
  }

  const direct = new Map<number, number>();
  for (const id of file.idsOf('IFCRELCONTAINEDINSPATIALSTRUCTURE')) {
    const a = file.entity(id)!.attributes;
    const structure = step.ref(a[5]);
    if (structure === null || !nodes.has(structure)) continue;
    for (const element of step.refs(a[4])) direct.set(element, structure);
  }
  // Parts are contained where their aggregate is (up as many levels as there are; a cycle, which a
  // broken file could hold, ends the walk).
  const containerOf = new Map(direct);
  for (const part of aggregateOf.keys()) {
    if (containerOf.has(part)) continue;
    const seen = new Set<number>([part]);
    let at = aggregateOf.get(part);
    while (at !== undefined && !seen.has(at)) {
      seen.add(at);
      const container = direct.get(at);
      if (container !== undefined) {
        containerOf.set(part, container);
        break;
      }
      at = aggregateOf.get(at);
    }
  }
  const referencedIn = new Map<number, number[]>();
  for (const id of file.idsOf('IFCRELREFERENCEDINSPATIALSTRUCTURE')) {
    const a = file.entity(id)!.attributes;
    const structure = step.ref(a[5]);
    if (structure === null || !nodes.has(structure)) continue;
    for (const element of step.refs(a[4])) {
      if (element === structure) continue;
      const structures = referencedIn.get(element);
      if (!structures) referencedIn.set(element, [structure]);
      else if (!structures.includes(structure)) structures.push(structure);
    }
  }
  const ordered = parentsFirst(
    nodes.values(),
    (node) => node.expressId,
    (node) => node.parentId,
    (node) => {
      node.parentId = null;
    },
  );
  return { nodes: ordered, containerOf, aggregateOf, referencedIn };
}
