import { createHash } from 'node:crypto';
import { Id64, type Id64String } from '@itwin/core-bentley';
import {
  Code,
  ColorDef,
  type ElementAspectProps,
  type ElementProps,
  GeometryParams,
  GeometryStreamBuilder,
  type GeometricElement3dProps,
  type PhysicalElementProps,
} from '@itwin/core-common';
import { IndexedPolyface, Point3d } from '@itwin/core-geometry';
import type { DynamicSchema } from './dynamic-schema.js';
import { IFC_SCHEMA_NAME, SPATIAL_CLASSES } from './ifc-schema.js';
import { CONVERTER_REVISION } from './provenance.js';
import type { IfcObjectData } from './read-data.js';
import type { IfcMesh, IfcProduct, IfcSpatial, IfcType } from './read-ifc.js';

/** Where an element hangs: its parent, its type and its container, by element id and identifier (the checksum covers the identifiers). */
export interface Placement {
  parentElementId: Id64String | undefined;
  parentIdentifier: string | null;
  containerIdentifier: string | null;
  typeElementId?: Id64String | undefined;
  typeIdentifier?: string | null;
}

/**
 * A checksum of everything the converter derives from an IFC product (class, name, container,
 * aggregate, type, attributes, property and quantity sets, materials, classifications, and the
 * key of what its mesh is computed from) and of the converter's revision: equal checksums mean the
 * element would be written exactly as it is, so a re-sync leaves it untouched.
 */
export function productChecksum(product: IfcProduct, placement: Placement): string {
  return checksum([
    CONVERTER_REVISION,
    product.ifcClass,
    product.name,
    product.container,
    placement.parentIdentifier,
    placement.containerIdentifier,
    placement.typeIdentifier ?? null,
    { ...product.data, typeId: undefined },
    product.geometryKey,
  ]);
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
  meshes: readonly IfcMesh[],
  classFullName: string,
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
    // An invalid id clears what an earlier version set (a part no longer in an aggregate, an occurrence that lost its type).
    parent: { id: placement.parentElementId ?? Id64.invalid, relClassName: 'BisCore:ElementOwnsChildElements' },
    typeDefinition: { id: placement.typeElementId ?? Id64.invalid, relClassName: 'BisCore:PhysicalElementIsOfType' },
    placement: { origin: Point3d.createZero(), angles: {} },
    geom: geometryOf(meshes, category),
    globalId: product.globalId,
    ifcClass: product.ifcClass,
    tag: product.data.tag ?? undefined,
    objectType: product.data.objectType ?? undefined,
    description: product.data.description ?? undefined,
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
  model: Id64String,
  category: Id64String,
  federationGuid: string,
  placement: Placement,
): GeometricElement3dProps & Record<string, unknown> {
  return {
    classFullName: SPATIAL_CLASSES[node.type]!,
    model,
    category,
    code: Code.createEmpty(),
    federationGuid,
    userLabel: node.name ?? node.longName ?? undefined,
    parent: { id: placement.parentElementId ?? Id64.invalid, relClassName: 'BisCore:ElementOwnsChildElements' },
    placement: { origin: Point3d.createZero(), angles: {} },
    geom: geometryOf(meshes, category),
    globalId: node.globalId,
    ifcClass: node.ifcClass,
    longName: node.longName ?? undefined,
    objectType: node.data.objectType ?? undefined,
    description: node.data.description ?? undefined,
    ...(node.elevation !== null && { elevation: node.elevation }),
  };
}

/** The element a type object becomes, in the source file's definition model. */
export function typeElementProps(type: IfcType, classFullName: string, model: Id64String, federationGuid: string): ElementProps & Record<string, unknown> {
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
  };
}

/** The aspects an object's data becomes: one per property or quantity set, one per material use and per classification. */
export function dataAspects(data: IfcObjectData, elementId: Id64String, schema: DynamicSchema): ElementAspectProps[] {
  const aspects: ElementAspectProps[] = [];
  for (const set of data.propertySets) {
    const { classFullName, props } = schema.aspectOf(set);
    aspects.push({ classFullName, element: { id: elementId, relClassName: 'BisCore:ElementOwnsUniqueAspect' }, ...props });
  }
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

function geometryOf(meshes: readonly IfcMesh[], category: Id64String) {
  const builder = new GeometryStreamBuilder();
  for (const mesh of meshes) {
    builder.appendGeometryParamsChange(appearanceOf(mesh, category));
    builder.appendGeometry(polyfaceOf(mesh));
  }
  return builder.geometryStream;
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
