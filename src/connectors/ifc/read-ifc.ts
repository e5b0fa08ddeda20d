import * as WebIFC from 'web-ifc';
import { NotAnIfcFile } from './conversion-errors.js';
import { IfcUnits } from './ifc-units.js';
import { type IfcObjectData, type IfcTypeObject, readData } from './read-data.js';
import { type IfcSpatialNode, readStructure } from './read-structure.js';
import { StepFile, step } from './step-file.js';
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
  /** Attributes, property and quantity sets, materials, classifications, type. */
  data: IfcObjectData;
  meshes: IfcMesh[];
}

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
  data: IfcObjectData;
  meshes: IfcMesh[];
}

/** A type object, with its IFC class as IFC spells it (`IfcWallType`). */
export interface IfcType extends IfcTypeObject {
  ifcClass: string;
}

export interface IfcContent {
  schema: string;
  /** The spatial tree, parents first. */
  spatial: IfcSpatial[];
  /** Products with geometry, and aggregates (whose parts carry the geometry) with or without. */
  products: IfcProduct[];
  /** Type objects, whether or not an occurrence points to them. */
  types: IfcType[];
  /** Products that have a representation but yielded no triangles (reported as warnings). */
  withoutGeometry: number;
  /** Their STEP ids. */
  withoutGeometryIds?: number[];
  /** What the reading could not do as the file asked. */
  warnings: string[];
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
    // Attributes and relationships from the STEP text itself; web-ifc for geometry only.
    const file = StepFile.index(content);
    const units = IfcUnits.read(file);
    const className = (type: string) => {
      const code = api.GetTypeCodeFromName(type);
      return (code && api.GetNameFromTypeCode(code)) || type;
    };
    const structure = readStructure(file, units, className);
    const nodes = new Map(structure.nodes.map((n) => [n.expressId, n]));

    // Spaces are streamed on their own: web-ifc leaves them (and openings) out of StreamAllMeshes.
    const nodeMeshes = new Map<number, IfcMesh[]>();
    api.StreamAllMeshesWithTypes(model, [WebIFC.IFCSPACE], (mesh) => nodeMeshes.set(mesh.expressID, meshesOf(api, model, mesh)));
    const meshes = new Map<number, IfcMesh[]>();
    api.StreamAllMeshes(model, (mesh) => {
      // A site's terrain is the site's own geometry.
      if (nodes.has(mesh.expressID)) nodeMeshes.set(mesh.expressID, meshesOf(api, model, mesh));
      else meshes.set(mesh.expressID, meshesOf(api, model, mesh));
    });
    // Aggregates often have no geometry of their own (their parts have it); they are elements all the same.
    const aggregates = new Set([...structure.aggregateOf.values()].filter((id) => !nodes.has(id) && file.has(id)));
    const productIds = [...new Set([...meshes.keys(), ...aggregates])].filter((id) => file.has(id));
    const kept = productIds.filter((id) => (meshes.get(id)?.length ?? 0) > 0 || aggregates.has(id));
    const data = readData(file, units, [...kept, ...nodes.keys()]);

    const products = kept.map((expressId): IfcProduct => {
      const a = file.entity(expressId)!.attributes;
      const containerId = structure.containerOf.get(expressId) ?? null;
      const container = containerId === null ? undefined : nodes.get(containerId);
      return {
        expressId,
        ifcClass: className(file.typeOf(expressId)!),
        globalId: step.text(a[0]) ?? `#${expressId}`,
        name: step.text(a[2]),
        container: container ? (container.name ?? container.longName) : null,
        containerId,
        aggregateId: structure.aggregateOf.get(expressId) ?? null,
        data: data.objects.get(expressId)!,
        meshes: meshes.get(expressId) ?? [],
      };
    });
    return {
      schema,
      spatial: structure.nodes.map((n) => ({ ...n, data: data.objects.get(n.expressId)!, meshes: nodeMeshes.get(n.expressId) ?? [] })),
      products,
      types: data.types.map((t) => ({ ...t, ifcClass: className(t.type) })),
      withoutGeometry: productIds.length - kept.length,
      withoutGeometryIds: productIds.filter((id) => (meshes.get(id)?.length ?? 0) === 0 && !aggregates.has(id)),
      warnings: data.warnings,
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
