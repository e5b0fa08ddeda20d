import * as WebIFC from 'web-ifc';
import { NotAnIfcFile } from './conversion-errors.js';
import { type IfcSpatialNode, readStructure } from './read-structure.js';
import { startWebIfc } from './web-ifc-guard.js';

export { NotAnIfcFile } from './conversion-errors.js';

/** One IFC product with geometry: its triangles in IFC's own axes (Z up), in metres as stored. */
export interface IfcProduct {
  expressId: number;
  /** The IFC entity, e.g. `IfcWall`. */
  ifcClass: string;
  globalId: string;
  name: string | null;
  /** The spatial structure element (storey, space, …) that contains it, by name. */
  container: string | null;
  /** That element's STEP id (directly, or through the aggregates it is part of). */
  containerId: number | null;
  /** The element it is a part of (IfcRelAggregates), by STEP id. */
  aggregateId: number | null;
  /** Its property sets: set name → property name → value (single values only). */
  properties: Record<string, Record<string, PropertyValue>>;
  meshes: IfcMesh[];
}

export type PropertyValue = string | number | boolean;

export interface IfcMesh {
  /** x, y, z of each vertex, already placed (the product's placement applied). */
  points: Float64Array;
  /** Three vertex indices per triangle. */
  triangles: Uint32Array;
  /** 0..1 each. */
  color: { r: number; g: number; b: number; a: number };
}

/** A spatial structure element; spaces carry their volume as meshes. */
export interface IfcSpatial extends IfcSpatialNode {
  meshes: IfcMesh[];
}

export interface IfcContent {
  schema: string;
  /** The spatial tree, parents first. */
  spatial: IfcSpatial[];
  /** Products with geometry, and aggregates (whose parts carry the geometry) with or without. */
  products: IfcProduct[];
  /** Products that have a representation but yielded no triangles (reported as warnings). */
  withoutGeometry: number;
  /** Their STEP ids. */
  withoutGeometryIds?: number[];
}

/**
 * Reads an IFC (STEP) file with web-ifc and returns every product that has geometry. web-ifc
 * delivers meshes in a Y-up frame; they are turned back to IFC's Z-up here, so that the iModel
 * gets the model as it was drawn.
 */
export async function readIfc(content: Uint8Array): Promise<IfcContent> {
  const head = Buffer.from(content.subarray(0, 64)).toString('latin1').trimStart();
  if (!head.startsWith('ISO-10303-21')) throw new NotAnIfcFile('the file is not an IFC (STEP, ISO-10303-21) file');

  // Every call's failure made readable and classified (web-ifc-guard.ts), its console logging off.
  const api = await startWebIfc();
  const model = api.OpenModel(content);
  try {
    const schema = api.GetModelSchema(model);
    if (!schema) throw new NotAnIfcFile('the file names no IFC schema web-ifc knows');
    const properties = propertySets(api, model);
    const structure = readStructure(api, model);
    const nodes = new Map(structure.nodes.map((n) => [n.expressId, n]));
    const products = new Map<number, IfcProduct>();
    const product = (expressId: number, meshes: IfcMesh[]): IfcProduct => {
      const line = api.GetLine(model, expressId) as { GlobalId?: { value: string }; Name?: { value: string } | null };
      const containerId = structure.containerOf.get(expressId) ?? null;
      const container = containerId === null ? undefined : nodes.get(containerId);
      return {
        expressId,
        ifcClass: api.GetNameFromTypeCode(api.GetLineType(model, expressId)),
        globalId: line.GlobalId?.value ?? `#${expressId}`,
        name: line.Name?.value ?? null,
        container: container ? (container.name ?? container.longName) : null,
        containerId,
        aggregateId: structure.aggregateOf.get(expressId) ?? null,
        properties: properties.get(expressId) ?? {},
        meshes,
      };
    };
    // Spaces are streamed on their own: web-ifc leaves them (and openings) out of StreamAllMeshes.
    const spaceMeshes = new Map<number, IfcMesh[]>();
    api.StreamAllMeshesWithTypes(model, [WebIFC.IFCSPACE], (mesh) => spaceMeshes.set(mesh.expressID, meshesOf(api, model, mesh)));
    api.StreamAllMeshes(model, (mesh) => {
      if (!nodes.has(mesh.expressID)) products.set(mesh.expressID, product(mesh.expressID, meshesOf(api, model, mesh)));
    });
    // Aggregates often have no geometry of their own (their parts have it); they are elements all the same.
    const aggregates = new Set(structure.aggregateOf.values());
    for (const id of aggregates) if (!products.has(id) && !nodes.has(id)) products.set(id, product(id, []));
    const all = [...products.values()];
    return {
      schema,
      spatial: structure.nodes.map((n) => ({ ...n, meshes: spaceMeshes.get(n.expressId) ?? [] })),
      products: all.filter((p) => p.meshes.length > 0 || aggregates.has(p.expressId)),
      withoutGeometry: all.filter((p) => p.meshes.length === 0 && !aggregates.has(p.expressId)).length,
      withoutGeometryIds: all.filter((p) => p.meshes.length === 0 && !aggregates.has(p.expressId)).map((p) => p.expressId),
    };
  } finally {
    api.CloseModel(model);
  }
}

/** A streamed product's meshes, placed and turned to Z up (pieces without triangles left out). */
function meshesOf(api: WebIFC.IfcAPI, model: number, mesh: WebIFC.FlatMesh): IfcMesh[] {
  const meshes: IfcMesh[] = [];
  const placed = mesh.geometries;
  for (let i = 0; i < placed.size(); i++) {
    const part = placed.get(i);
    const geometry = api.GetGeometry(model, part.geometryExpressID);
    const vertices = api.GetVertexArray(geometry.GetVertexData(), geometry.GetVertexDataSize());
    const indices = api.GetIndexArray(geometry.GetIndexData(), geometry.GetIndexDataSize());
    geometry.delete();
    if (indices.length < 3) continue;
    meshes.push({
      points: placedPoints(vertices, part.flatTransformation),
      triangles: Uint32Array.from(indices),
      color: { r: part.color.x, g: part.color.y, b: part.color.z, a: part.color.w },
    });
  }
  return meshes;
}

type Line = Record<string, unknown> & { expressID: number };
interface Ref {
  value: number;
}

/** A line by its STEP id, or undefined when the file refers to one it does not hold. */
function lineOf(api: WebIFC.IfcAPI, model: number, id: number): Line | undefined {
  try {
    return api.GetLine(model, id) as Line;
  } catch {
    return undefined;
  }
}

function textOf(value: unknown): string | null {
  const v = (value as { value?: unknown } | null)?.value;
  return typeof v === 'string' && v.trim() ? v : null;
}

/** IFC's typed values: labels and identifiers as text, measures as numbers, booleans as booleans. */
function propertyValueOf(value: unknown): PropertyValue | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { value?: unknown; _representationValue?: unknown };
  const raw = v.value ?? v._representationValue;
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  return undefined;
}

/** Every product's property sets (IfcRelDefinesByProperties → IfcPropertySet → IfcPropertySingleValue). */
function propertySets(api: WebIFC.IfcAPI, model: number): Map<number, Record<string, Record<string, PropertyValue>>> {
  const byProduct = new Map<number, Record<string, Record<string, PropertyValue>>>();
  const relations = api.GetLineIDsWithType(model, WebIFC.IFCRELDEFINESBYPROPERTIES);
  for (let i = 0; i < relations.size(); i++) {
    const relation = lineOf(api, model, relations.get(i));
    const set = relation && lineOf(api, model, (relation.RelatingPropertyDefinition as Ref | null)?.value ?? 0);
    const setName = textOf(set?.Name);
    if (!set || !setName || !Array.isArray(set.HasProperties)) continue;
    const values: Record<string, PropertyValue> = {};
    for (const ref of set.HasProperties as Ref[]) {
      const property = lineOf(api, model, ref.value);
      const name = textOf(property?.Name);
      const value = propertyValueOf(property?.NominalValue);
      if (name && value !== undefined) values[name] = value;
    }
    for (const object of (relation.RelatedObjects as Ref[] | null) ?? []) {
      const sets = byProduct.get(object.value) ?? {};
      sets[setName] = { ...sets[setName], ...values };
      byProduct.set(object.value, sets);
    }
  }
  return byProduct;
}

/**
 * Applies the column-major 4×4 placement web-ifc gives each mesh (positions come first in each
 * vertex, then the normal), then goes from web-ifc's Y-up to IFC's Z-up: (x, y, z) → (x, −z, y).
 */
function placedPoints(vertices: Float32Array, m: number[]): Float64Array {
  const count = vertices.length / 6;
  const points = new Float64Array(count * 3);
  for (let i = 0; i < count; i++) {
    const x = vertices[i * 6]!;
    const y = vertices[i * 6 + 1]!;
    const z = vertices[i * 6 + 2]!;
    const px = m[0]! * x + m[4]! * y + m[8]! * z + m[12]!;
    const py = m[1]! * x + m[5]! * y + m[9]! * z + m[13]!;
    const pz = m[2]! * x + m[6]! * y + m[10]! * z + m[14]!;
    points[i * 3] = px;
    points[i * 3 + 1] = -pz;
    points[i * 3 + 2] = py;
  }
  return points;
}
