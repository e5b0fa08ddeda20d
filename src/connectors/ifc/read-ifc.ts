import fs from 'node:fs';
import * as WebIFC from 'web-ifc';
import { NotAnIfcFile } from './conversion-errors.js';
import { GeometryKeys } from './geometry-key.js';
import { stepSubset } from './step-subset.js';
import { IfcUnits } from './ifc-units.js';
import { type IfcObjectData, type IfcTypeObject, readData } from './read-data.js';
import { type IfcGeolocation, readGeolocation } from './read-geolocation.js';
import { type IfcSpatialNode, readStructure } from './read-structure.js';
import { StepFile, step } from './step-file.js';
import { startWebIfc } from './web-ifc-guard.js';

export { NotAnIfcFile } from './conversion-errors.js';

/** One IFC product with a representation, or an aggregate; its meshes are streamed (IfcContent.meshes). */
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
  /** The type object it is an occurrence of, by STEP id (its other data: IfcContent.dataOf). */
  typeId: number | null;
  /** Whether it has a representation to mesh. */
  hasShape: boolean;
  /** A key of everything its mesh is computed from (geometry-key.ts): equal keys, equal meshes. */
  geometryKey: string;
}

export interface IfcMesh {
  /** x, y, z of each vertex, already placed (the product's placement applied). */
  points: Float64Array;
  /** Three vertex indices per triangle. */
  triangles: Uint32Array;
  /** 0..1 each. */
  color: { r: number; g: number; b: number; a: number };
}

/** A spatial structure element; spaces (their volume) and sites (their terrain) may have meshes. */
export interface IfcSpatial extends IfcSpatialNode {
  data: IfcObjectData;
  hasShape: boolean;
  geometryKey: string;
}

/** A type object, with its IFC class as IFC spells it (`IfcWallType`). */
export interface IfcType extends IfcTypeObject {
  ifcClass: string;
}

/** The spatial elements that reference an entity (IfcRelReferencedInSpatialStructure), by STEP id. */
export interface IfcReference {
  entityId: number;
  /** The entity's IFC class (`IfcColumn`), or null when the file does not define it. */
  ifcClass: string | null;
  /** The referencing spatial elements, in file order. */
  structureIds: number[];
}

export interface IfcContent {
  schema: string;
  /** The spatial tree, parents first. */
  spatial: IfcSpatial[];
  /** Products with a representation, and aggregates (whose parts carry the geometry) with or without one. */
  products: IfcProduct[];
  /** Type objects, whether or not an occurrence points to them. */
  types: IfcType[];
  /** What spatial elements reference besides what they contain. */
  references: IfcReference[];
  /**
   * A product's attributes, property and quantity sets, materials, classifications and type, read
   * from the file each time (not kept: held for every product, they were the most of what a
   * conversion held). Read it once per use.
   */
  dataOf(expressId: number): IfcObjectData;
  /**
   * What the reading could not do as the file asked. Products' data is read when asked for: what
   * it could not read is here once every product's data has been read (dataOf).
   */
  readonly warnings: string[];
  /**
   * Computes the meshes of these products (or spatial elements) and hands them over one product at
   * a time, in no particular order; a product without triangles is handed over with none. Nothing
   * is kept: memory follows the largest product, not the model.
   */
  meshes(ids: readonly number[], each: (id: number, meshes: IfcMesh[]) => void): void;
  /** Where the file places the model on the earth (IfcSite's reference point, IfcMapConversion), if it does. */
  geolocation?: IfcGeolocation;
}

/** An open IFC file: its content, and its meshes on demand until it is closed. */
export interface IfcReading extends IfcContent {
  close(): void;
}

export interface OpenIfcOptions {
  /** Most instances in one subset given to web-ifc. */
  batchInstances?: number;
  /**
   * A descriptor open on the file `content` was read from, unchanged: once the file is open, the
   * text is read back from it on demand instead of held (step-text.ts), when it is `holdBytes` or
   * larger. Owned from then on: closed by close(), or at once when the text is held.
   */
  readBack?: number;
  /** The size from which the text is read back rather than held. */
  holdBytes?: number;
}

/**
 * Opens an IFC (STEP) file: its structure, types and data are read at once from the STEP text;
 * meshes are computed by web-ifc when asked for. web-ifc delivers meshes in a Y-up frame; they are
 * turned back to IFC's Z-up here, so that the iModel gets the model as it was drawn.
 */
export async function openIfc(
  content: Uint8Array,
  { batchInstances = BATCH_INSTANCES, readBack, holdBytes = HOLD_BYTES }: OpenIfcOptions = {},
): Promise<IfcReading> {
  const head = Buffer.from(content.subarray(0, 64)).toString('latin1').trimStart();
  if (!head.startsWith('ISO-10303-21')) throw new NotAnIfcFile('the file is not an IFC (STEP, ISO-10303-21) file');

  // Every call's failure made readable and classified (web-ifc-guard.ts), its console logging off.
  const api = await startWebIfc();
  // Attributes and relationships from the STEP text itself; web-ifc for geometry only, and only on
  // subsets of the file (step-subset.ts).
  const file = StepFile.index(content);
  /** Opens a subset of the file in web-ifc, works on it, closes it. */
  const withSubset = <T>(bytes: Uint8Array, work: (model: number) => T): T => {
    const model = api.OpenModel(bytes, { TAPE_SIZE: TAPE_BYTES });
    try {
      return work(model);
    } finally {
      api.CloseModel(model);
    }
  };
  const schema = withSubset(stepSubset(file, new Set()), (model) => api.GetModelSchema(model));
  if (!schema) throw new NotAnIfcFile('the file names no IFC schema web-ifc knows');
  {
    const units = IfcUnits.read(file);
    // Asked once per entity, of a few dozen entity types: each answer is a call into web-ifc.
    const classNames = new Map<string, string>();
    const className = (type: string) => {
      let name = classNames.get(type);
      if (name === undefined) {
        const code = api.GetTypeCodeFromName(type);
        name = (code && api.GetNameFromTypeCode(code)) || type;
        classNames.set(type, name);
      }
      return name;
    };
    const structure = readStructure(file, units, className);
    const nodes = new Map(structure.nodes.map((n) => [n.expressId, n]));
    const aggregates = new Set([...structure.aggregateOf.values()].filter((id) => !nodes.has(id) && file.has(id)));
    const shaped = productsWithShape(file, nodes);
    const productIds = [...new Set([...shaped, ...aggregates])];
    const keys = new GeometryKeys(file, `${GEOMETRY_REVISION} ${units.describe()}`);
    // The names of a predefined property set's attributes, from web-ifc's schema (on a subset holding it).
    const attributeNames = (id: number) => {
      try {
        const subset = new Set<number>();
        keys.collect(id, subset, new Map());
        return withSubset(stepSubset(file, subset), (model) => {
          const line = api.GetLine(model, id) as Record<string, { name?: unknown } | null>;
          return Object.keys(line)
            .filter((k) => k !== 'expressID' && k !== 'type')
            .map((name) => ({ name, ...(typeof line[name]?.name === 'string' && { measure: line[name].name as string }) }));
        });
      } catch {
        return undefined;
      }
    };
    const data = readData(file, units, attributeNames, className);
    const hasShape = (id: number) => step.ref(file.entity(id)?.attributes[6]) !== null;

    const products = productIds.map((expressId): IfcProduct => {
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
        typeId: data.typeOf(expressId),
        hasShape: hasShape(expressId),
        geometryKey: keys.keyOf(expressId),
      };
    });
    const spatial = structure.nodes.map((n) => ({
      ...n,
      data: data.dataOf(n.expressId),
      hasShape: hasShape(n.expressId),
      geometryKey: keys.keyOf(n.expressId),
    }));
    const geolocation = readGeolocation(file, units);
    const types = data.types.map((t) => ({ ...t, ifcClass: className(t.type) }));
    const references = [...structure.referencedIn].map(([entityId, structureIds]) => {
      const type = file.typeOf(entityId);
      return { entityId, ifcClass: type === undefined ? null : className(type), structureIds };
    });
    // Everything read at once has been: from here on, only products' data and subsets read the text.
    if (readBack !== undefined) {
      if (content.length >= holdBytes) file.readFrom(readBack);
      else fs.closeSync(readBack);
    }
    return {
      schema,
      spatial,
      products,
      types,
      references,
      dataOf: (id) => data.dataOf(id),
      get warnings() {
        return data.warnings();
      },
      meshes(ids, each) {
        // In batches: each batch's products with all they need, as one subset file web-ifc parses.
        let batch: number[] = [];
        let subset = new Set<number>();
        let materialRels = new Map<number, Set<number>>();
        const flush = () => {
          if (batch.length === 0) return;
          const seen = new Set<number>();
          withSubset(stepSubset(file, subset, materialRels), (model) =>
            api.StreamMeshes(model, batch, (mesh) => {
              seen.add(mesh.expressID);
              each(mesh.expressID, meshesOf(api, model, mesh));
            }),
          );
          for (const id of batch) if (!seen.has(id)) each(id, []);
          batch = [];
          subset = new Set();
          materialRels = new Map();
        };
        for (const id of ids) {
          keys.collect(id, subset, materialRels);
          batch.push(id);
          if (subset.size >= batchInstances) flush();
        }
        flush();
      },
      geolocation,
      // Nothing stays open in web-ifc between calls: each subset is closed once meshed. The file
      // read back, if it is, is.
      close: () => file.close(),
    };
  }
}

/**
 * What changes every mesh when it changes: web-ifc's version (its triangulation) and how meshes
 * are turned into the iModel's frame here.
 */
const GEOMETRY_REVISION = 'web-ifc 0.0.78, Z up';

/**
 * How many instances a subset given to web-ifc holds at most (unless one product needs more): its
 * memory grows with what it parses, and a few hundred thousand instances are tens of megabytes.
 */
const BATCH_INSTANCES = 200_000;

/**
 * Below this size a file's text is held rather than read back from the file: the reads cost a
 * little time per instance, and a few megabytes are little beside the modules' 150 MB.
 */
const HOLD_BYTES = 16 * 1024 * 1024;

/**
 * The chunk web-ifc's parser allocates its token tape in (64 MB by default, for whole files): a
 * subset's tokens fit a few chunks of this, and WebAssembly memory, once grown, never shrinks.
 */
const TAPE_BYTES = 4 * 1024 * 1024;

/**
 * Entities not converted as elements: openings are cut from their element, not shown; annotations
 * and grids are drawings (lines and text), not bodies, and would only be reported as products
 * without triangles.
 */
const NOT_ELEMENTS = new Set(['IFCOPENINGELEMENT', 'IFCOPENINGSTANDARDCASE', 'IFCVOIDINGFEATURE', 'IFCANNOTATION', 'IFCGRID']);

/**
 * The products with a representation (spatial elements apart): every instance with a GlobalId
 * whose 6th and 7th attributes are IfcProduct's ObjectPlacement and Representation (references
 * or unset), which tells products from other objects without a schema at hand.
 */
function productsWithShape(file: StepFile, nodes: Map<number, unknown>): number[] {
  const out: number[] = [];
  for (const type of file.typesPresent()) {
    if (NOT_ELEMENTS.has(type) || type.startsWith('IFCREL') || /(TYPE|STYLE)$/.test(type)) continue;
    const ids = file.idsOf(type);
    const sample = file.entity(ids[0]!)?.attributes ?? [];
    const isRefOrUnset = (v: unknown) => v === null || (typeof v === 'object' && v !== null && 'ref' in v);
    if (sample.length < 7 || typeof sample[0] !== 'string' || !isRefOrUnset(sample[5]) || !isRefOrUnset(sample[6])) continue;
    for (const id of ids) {
      if (nodes.has(id)) continue;
      const rep = step.ref(file.entity(id)?.attributes[6]);
      if (rep !== null && file.typeOf(rep) === 'IFCPRODUCTDEFINITIONSHAPE') out.push(id);
    }
  }
  return out.sort((a, b) => a - b);
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
