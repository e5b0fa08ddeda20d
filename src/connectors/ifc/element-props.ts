import { createHash } from 'node:crypto';
import { Id64, type Id64String } from '@itwin/core-bentley';
import {
  Code,
  ColorDef,
  type ElementAspectProps,
  type ElementProps,
  GeometryParams,
  ElementGeometry,
  type ElementGeometryDataEntry,
  type GeometricElement3dProps,
  type PhysicalElementProps,
} from '@itwin/core-common';
import { IndexedPolyface, Point3d } from '@itwin/core-geometry';
import { CONTAINS_RELATIONSHIP, IFC_SCHEMA_NAME } from './ifc-schema.js';
import { CONVERTER_REVISION } from './provenance.js';
import type { IfcObjectData } from './read-data.js';
import type { IfcMesh, IfcProduct, IfcSpatial, IfcType } from './read-ifc.js';

/**
 * What an update must set explicitly to clear what an earlier version of the element had: a
 * property or relationship left out of an update keeps its old value. Inserts leave them out
 * (smaller props, a faster insert).
 */
export function clearedOnUpdate(kind: 'product' | 'spatial' | 'storey' | 'type'): Readonly<Record<string, unknown>> {
  return CLEARED[kind];
}
/** The relationship behind each navigation property an element of the converter sets. */
const RELATIONSHIPS = {
  parent: 'BisCore:ElementOwnsChildElements',
  typeDefinition: 'BisCore:PhysicalElementIsOfType',
  containedIn: CONTAINS_RELATIONSHIP,
};
type Navigation = keyof typeof RELATIONSHIPS;
/** A navigation property's value: `{ parent: { id, relClassName } }`, or nothing when there is no such element. */
function related(property: Navigation, id: Id64String | undefined): Record<string, { id: Id64String; relClassName: string }> {
  return id ? { [property]: { id, relClassName: RELATIONSHIPS[property] } } : {};
}
const NAV = {
  parent: { id: Id64.invalid, relClassName: RELATIONSHIPS.parent },
  typeDefinition: { id: Id64.invalid, relClassName: RELATIONSHIPS.typeDefinition },
  containedIn: { id: Id64.invalid, relClassName: RELATIONSHIPS.containedIn },
};
const CLEARED = {
  product: { userLabel: null, tag: null, objectType: null, description: null, ...NAV },
  spatial: { userLabel: null, longName: null, objectType: null, description: null, parent: NAV.parent },
  storey: { userLabel: null, longName: null, objectType: null, description: null, parent: NAV.parent, elevation: null },
  type: { userLabel: null, tag: null, elementType: null, applicableOccurrence: null, description: null },
};

/** Where an element hangs: its parent, its type and its container, by element id and identifier (the checksum covers the identifiers). */
export interface Placement {
  parentElementId: Id64String | undefined;
  parentIdentifier: string | null;
  containerIdentifier: string | null;
  typeElementId?: Id64String | undefined;
  typeIdentifier?: string | null;
  containerElementId?: Id64String | undefined;
}

/**
 * A checksum of everything the converter derives from an IFC product (class, name, container,
 * aggregate, type, attributes, property and quantity sets, materials, classifications, and the
 * key of what its mesh is computed from) and of the converter's revision: equal checksums mean the
 * element would be written exactly as it is, so a re-sync leaves it untouched.
 */
/** `data` may be given as productDataJson wrote it (kept from the schema's reading of a re-sync). */
export function productChecksum(product: IfcProduct, data: IfcObjectData | string, placement: Placement): string {
  const facts = [
    CONVERTER_REVISION,
    product.ifcClass,
    product.name,
    product.container,
    placement.parentIdentifier,
    placement.containerIdentifier,
    placement.typeIdentifier ?? null,
    // The element ids too: they change when the parent, type or container element is replaced
    // (a new class), and the relationship to it must be written again.
    placement.parentElementId ?? null,
    placement.typeElementId ?? null,
    placement.containerElementId ?? null,
  ];
  // The same text as JSON.stringify([...facts, { ...data, typeId: undefined }, geometryKey]) gives,
  // with the data's part as productDataJson writes it.
  const json = typeof data === 'string' ? data : productDataJson(data);
  const text = `${JSON.stringify(facts).slice(0, -1)},${json},${JSON.stringify(product.geometryKey)}]`;
  return createHash('sha256').update(text).digest('hex');
}

/** A product's data as its checksum covers it, as JSON: what a re-sync needs of an unchanged product's data. */
export function productDataJson(data: IfcObjectData): string {
  return JSON.stringify({ ...data, typeId: undefined });
}

/** The same for a spatial structure element: its class, names, elevation, parent, data and (spaces) volume. */
export function spatialChecksum(node: IfcSpatial, placement: Placement): string {
  return checksum([
    CONVERTER_REVISION,
    node.type,
    node.name,
    node.longName,
    node.elevation,
    placement.parentIdentifier,
    placement.parentElementId ?? null,
    { ...node.data, typeId: undefined },
    node.geometryKey,
  ]);
}

/** The same for a type object. */
export function typeChecksum(type: IfcType): string {
  return checksum([CONVERTER_REVISION, type.ifcClass, type.name, type.elementType, type.applicableOccurrence, { ...type.data, typeId: undefined }]);
}

function checksum(facts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex');
}

/** The element a product becomes (insert: no id; update: the caller adds it); a part's parent is its aggregate. */
export function productElementProps(
  product: IfcProduct,
  data: IfcObjectData,
  meshes: readonly IfcMesh[],
  classFullName: string,
  properties: Record<string, unknown>,
  model: Id64String,
  category: Id64String,
  federationGuid: string,
  placement: Placement,
): PhysicalElementProps & Record<string, unknown> {
  return {
    classFullName,
    model,
    category,
    code: Code.createEmpty(),
    federationGuid,
    userLabel: product.name ?? undefined,
    ...related('parent', placement.parentElementId),
    ...related('typeDefinition', placement.typeElementId),
    ...related('containedIn', placement.containerElementId),
    placement: { origin: Point3d.createZero(), angles: {} },
    ...geometryOf(meshes, category),
    globalId: product.globalId,
    ifcClass: product.ifcClass,
    tag: data.tag ?? undefined,
    objectType: data.objectType ?? undefined,
    description: data.description ?? undefined,
    ...properties,
    jsonProperties: {
      ifc: {
        globalId: product.globalId,
        class: product.ifcClass,
        expressId: product.expressId,
        ...(product.container && { container: product.container }),
      },
    },
  };
}

/** The element a spatial structure element becomes: its class of the TwinsyncIfc schema, under its parent. */
export function spatialElementProps(
  node: IfcSpatial,
  meshes: readonly IfcMesh[],
  classFullName: string,
  properties: Record<string, unknown>,
  model: Id64String,
  category: Id64String,
  federationGuid: string,
  placement: Placement,
): GeometricElement3dProps & Record<string, unknown> {
  return {
    classFullName,
    model,
    category,
    code: Code.createEmpty(),
    federationGuid,
    userLabel: node.name ?? node.longName ?? undefined,
    ...related('parent', placement.parentElementId),
    placement: { origin: Point3d.createZero(), angles: {} },
    ...geometryOf(meshes, category),
    globalId: node.globalId,
    ifcClass: node.ifcClass,
    longName: node.longName ?? undefined,
    objectType: node.data.objectType ?? undefined,
    description: node.data.description ?? undefined,
    elevation: node.elevation ?? undefined,
    ...properties,
  };
}

/** The element a type object becomes, in the source file's definition model. */
export function typeElementProps(
  type: IfcType,
  classFullName: string,
  properties: Record<string, unknown>,
  model: Id64String,
  federationGuid: string,
): ElementProps & Record<string, unknown> {
  return {
    classFullName,
    model,
    code: Code.createEmpty(),
    federationGuid,
    userLabel: type.name ?? undefined,
    globalId: type.globalId,
    ifcClass: type.ifcClass,
    tag: type.data.tag ?? undefined,
    elementType: type.elementType ?? undefined,
    applicableOccurrence: type.applicableOccurrence ?? undefined,
    description: type.data.description ?? undefined,
    ...properties,
  };
}

/** The aspects an object's data becomes: one per material use and per classification (property sets are properties of its class). */
export function dataAspects(data: IfcObjectData, elementId: Id64String): ElementAspectProps[] {
  const aspects: ElementAspectProps[] = [];
  for (const m of data.materials) {
    aspects.push({
      classFullName: `${IFC_SCHEMA_NAME}:IfcMaterialAspect`,
      element: { id: elementId, relClassName: 'BisCore:ElementOwnsMultiAspects' },
      material: m.material,
      category: m.category ?? undefined,
      usage: m.usage,
      setName: m.set ?? undefined,
      position: m.index ?? undefined,
      thickness: m.thickness ?? undefined,
      fraction: m.fraction ?? undefined,
    } as ElementAspectProps);
  }
  for (const c of data.classifications) {
    aspects.push({
      classFullName: `${IFC_SCHEMA_NAME}:IfcClassificationAspect`,
      element: { id: elementId, relClassName: 'BisCore:ElementOwnsMultiAspects' },
      system: c.system ?? undefined,
      edition: c.edition ?? undefined,
      identification: c.identification ?? undefined,
      referenceName: c.name ?? undefined,
      location: c.location ?? undefined,
    } as ElementAspectProps);
  }
  return aspects;
}

/**
 * The element's geometry, given to iTwin.js in its binary form (entries of the geometry stream's
 * flatbuffers) rather than as JSON: a fifth less time per insert, more for large meshes, and the
 * same stored geometry.
 */
function geometryOf(
  meshes: readonly IfcMesh[],
  category: Id64String,
): { geom: [] } | { elementGeometryBuilderParams: { entryArray: ElementGeometryDataEntry[] } } {
  // None (an aggregate whose parts have it): an empty stream, which also clears one an update replaces.
  if (meshes.length === 0) return { geom: [] };
  const builder = new ElementGeometry.Builder();
  for (const mesh of meshes) {
    builder.appendGeometryParamsChange(appearanceOf(mesh, category));
    builder.appendGeometryQuery(polyfaceOf(mesh));
  }
  return { elementGeometryBuilderParams: { entryArray: builder.entries } };
}

/**
 * The mesh's colour, opaque, and its transparency where iTwin.js reads it: a ColorDef's own
 * transparency byte is ignored for an element's display (window glass came out opaque).
 */
function appearanceOf(mesh: IfcMesh, category: Id64String): GeometryParams {
  const { r, g, b, a } = mesh.color;
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v * 255)));
  const params = new GeometryParams(category);
  params.lineColor = params.fillColor = ColorDef.from(byte(r), byte(g), byte(b));
  const transparency = 1 - Math.max(0, Math.min(1, a));
  if (transparency > 0) params.elmTransparency = params.fillTransparency = transparency;
  return params;
}

function polyfaceOf(mesh: IfcMesh): IndexedPolyface {
  const polyface = IndexedPolyface.create();
  const { points, triangles } = mesh;
  for (let i = 0; i < points.length; i += 3) polyface.addPointXYZ(points[i]!, points[i + 1]!, points[i + 2]!);
  for (let t = 0; t < triangles.length; t += 3) {
    polyface.addPointIndex(triangles[t]!);
    polyface.addPointIndex(triangles[t + 1]!);
    polyface.addPointIndex(triangles[t + 2]!);
    polyface.terminateFacet();
  }
  return polyface;
}
