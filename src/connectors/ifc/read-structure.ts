import * as WebIFC from 'web-ifc';

/**
 * An IFC file's spatial structure and aggregation, read from its relationships:
 * - the spatial tree (project → site → building → storey → space) from IfcRelAggregates between
 *   spatial elements;
 * - which spatial element contains each element (IfcRelContainedInSpatialStructure);
 * - which element each part belongs to (IfcRelAggregates between elements: the parts of an
 *   assembly, a curtain wall, a stair, a roof), so that parts, which files seldom place in a storey
 *   themselves, are contained where their aggregate is.
 */
export interface IfcSpatialNode {
  expressId: number;
  /** `IFCPROJECT`, `IFCSITE`, `IFCBUILDING`, `IFCBUILDINGSTOREY` or `IFCSPACE`. */
  type: string;
  /** The entity's name as IFC spells it (`IfcBuildingStorey`). */
  ifcClass: string;
  globalId: string;
  name: string | null;
  longName: string | null;
  /** Storeys: as the file gives it, in its length unit. */
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
}

const SPATIAL_TYPES = {
  IFCPROJECT: WebIFC.IFCPROJECT,
  IFCSITE: WebIFC.IFCSITE,
  IFCBUILDING: WebIFC.IFCBUILDING,
  IFCBUILDINGSTOREY: WebIFC.IFCBUILDINGSTOREY,
  IFCSPACE: WebIFC.IFCSPACE,
} as const;

type Line = Record<string, unknown> & { expressID: number };
interface Ref {
  value: number;
}

export function readStructure(api: WebIFC.IfcAPI, model: number): IfcStructure {
  const line = (id: number): Line | undefined => {
    try {
      return api.GetLine(model, id) as Line;
    } catch {
      return undefined;
    }
  };
  const text = (value: unknown): string | null => {
    const v = (value as { value?: unknown } | null)?.value;
    return typeof v === 'string' && v.trim() ? v : null;
  };
  const refs = (value: unknown): number[] => (Array.isArray(value) ? (value as Ref[]).map((r) => r?.value).filter((v) => typeof v === 'number') : []);
  const ids = (type: number): number[] => {
    const vector = api.GetLineIDsWithType(model, type);
    const out: number[] = [];
    for (let i = 0; i < vector.size(); i++) out.push(vector.get(i));
    return out;
  };

  const nodes = new Map<number, IfcSpatialNode>();
  for (const [type, code] of Object.entries(SPATIAL_TYPES)) {
    for (const id of ids(code)) {
      const l = line(id);
      if (!l) continue;
      const elevation = (l.Elevation as { value?: unknown } | null)?.value;
      nodes.set(id, {
        expressId: id,
        type,
        ifcClass: api.GetNameFromTypeCode(code),
        globalId: text(l.GlobalId) ?? `#${id}`,
        name: text(l.Name),
        longName: text(l.LongName),
        elevation: typeof elevation === 'number' && Number.isFinite(elevation) ? elevation : null,
        parentId: null,
      });
    }
  }

  const aggregateOf = new Map<number, number>();
  for (const id of ids(WebIFC.IFCRELAGGREGATES)) {
    const relation = line(id);
    const whole = (relation?.RelatingObject as Ref | null)?.value;
    if (!relation || typeof whole !== 'number') continue;
    for (const part of refs(relation.RelatedObjects)) {
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
  for (const id of ids(WebIFC.IFCRELCONTAINEDINSPATIALSTRUCTURE)) {
    const relation = line(id);
    const structure = (relation?.RelatingStructure as Ref | null)?.value;
    if (!relation || typeof structure !== 'number' || !nodes.has(structure)) continue;
    for (const element of refs(relation.RelatedElements)) direct.set(element, structure);
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
  return { nodes: parentsFirst(nodes), containerOf, aggregateOf };
}

/** The tree in an order that inserts every parent before its children (a cycle is cut where it closes). */
function parentsFirst(nodes: Map<number, IfcSpatialNode>): IfcSpatialNode[] {
  const ordered: IfcSpatialNode[] = [];
  const placed = new Set<number>();
  const visit = (node: IfcSpatialNode, path: Set<number>) => {
    if (placed.has(node.expressId)) return;
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    if (parent && !path.has(parent.expressId)) visit(parent, new Set([...path, node.expressId]));
    else if (parent) node.parentId = null;
    placed.add(node.expressId);
    ordered.push(node);
  };
  for (const node of nodes.values()) visit(node, new Set());
  return ordered;
}
