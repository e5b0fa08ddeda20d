import { createHash } from 'node:crypto';
import type { Id64String } from '@itwin/core-bentley';
import { Code, ColorDef, GeometryParams, GeometryStreamBuilder, type GeometricElement3dProps, type PhysicalElementProps } from '@itwin/core-common';
import { IndexedPolyface, Point3d } from '@itwin/core-geometry';
import { SPATIAL_CLASSES } from './ifc-schema.js';
import { CONVERTER_REVISION } from './provenance.js';
import type { IfcMesh, IfcProduct, IfcSpatial } from './read-ifc.js';

/** Where an element hangs: its parent's element id and the identifiers of its parent and container (the checksum covers those). */
export interface Placement {
  parentElementId: Id64String | undefined;
  parentIdentifier: string | null;
  containerIdentifier: string | null;
}

/**
 * A checksum of everything the converter derives from an IFC product (class, name, container,
 * aggregate, property sets, every mesh's points, triangles and colour) and of the converter's
 * revision: equal checksums mean the element would be written exactly as it is, so a re-sync leaves
 * it untouched.
 */
export function productChecksum(product: IfcProduct, placement: Placement): string {
  return checksum(
    [CONVERTER_REVISION, product.ifcClass, product.name, product.container, placement.parentIdentifier, placement.containerIdentifier, product.properties],
    product.meshes,
  );
}

/** The same for a spatial structure element: its class, names, elevation, parent and (spaces) volume. */
export function spatialChecksum(node: IfcSpatial, placement: Placement): string {
  return checksum([CONVERTER_REVISION, node.type, node.name, node.longName, node.elevation, placement.parentIdentifier], node.meshes);
}

function checksum(facts: unknown[], meshes: readonly IfcMesh[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(facts));
  for (const mesh of meshes) {
    const { r, g, b, a } = mesh.color;
    hash.update(new Float64Array([r, g, b, a, mesh.points.length, mesh.triangles.length]));
    hash.update(new Uint8Array(mesh.points.buffer, mesh.points.byteOffset, mesh.points.byteLength));
    hash.update(new Uint8Array(mesh.triangles.buffer, mesh.triangles.byteOffset, mesh.triangles.byteLength));
  }
  return hash.digest('hex');
}

/** The element a product becomes (insert: no id; update: the caller adds it); a part's parent is its aggregate. */
export function productElementProps(
  product: IfcProduct,
  model: Id64String,
  category: Id64String,
  federationGuid: string,
  placement: Placement,
): PhysicalElementProps {
  return {
    classFullName: 'Generic:PhysicalObject',
    model,
    category,
    code: Code.createEmpty(),
    federationGuid,
    userLabel: product.name ?? undefined,
    ...(placement.parentElementId && { parent: { id: placement.parentElementId, relClassName: 'BisCore:ElementOwnsChildElements' } }),
    placement: { origin: Point3d.createZero(), angles: {} },
    geom: geometryOf(product.meshes, category),
    jsonProperties: {
      ifc: {
        globalId: product.globalId,
        class: product.ifcClass,
        expressId: product.expressId,
        ...(product.container && { container: product.container }),
        ...(Object.keys(product.properties).length > 0 && { properties: product.properties }),
      },
    },
  };
}

/** The element a spatial structure element becomes: its class of the TwinsyncIfc schema, under its parent. */
export function spatialElementProps(
  node: IfcSpatial,
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
    ...(placement.parentElementId && { parent: { id: placement.parentElementId, relClassName: 'BisCore:ElementOwnsChildElements' } }),
    placement: { origin: Point3d.createZero(), angles: {} },
    geom: geometryOf(node.meshes, category),
    globalId: node.globalId,
    ifcClass: node.ifcClass,
    longName: node.longName ?? undefined,
    ...(node.elevation !== null && { elevation: node.elevation }),
  };
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
