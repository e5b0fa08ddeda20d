import type { IfcUnits } from './ifc-units.js';
import { type MapConversion, readMapConversion } from './read-map-conversion.js';
import { type StepEntity, type StepFile, type StepValue, step } from './step-file.js';

export type { MapConversion, ProjectedCrs } from './read-map-conversion.js';

/**
 * Where an IFC file says its model stands on the earth, as the file gives it (lengths already in
 * metres, angles in degrees). geolocation.ts turns it into the iModel's ECEF location.
 */
export interface IfcGeolocation {
  /** IfcSite's reference point (IfcSite.RefLatitude/RefLongitude/RefElevation), if it has one. */
  site?: SiteReference;
  /**
   * From the model's coordinates to a projected CRS, if the file gives one (IFC4's
   * IfcMapConversion, IFC4X3's IfcRigidOperation, IFC2X3's ePSet_MapConversion: read-map-conversion.ts).
   */
  mapConversion?: MapConversion;
  /** What the file says about its place that could not be used, in words (the task's warnings). */
  ignored: string[];
  /**
   * The angle from east to the model's x axis, counter-clockwise, in degrees: what the 3D model
   * context's TrueNorth says (0 when it says nothing: the y axis points north).
   */
  xAxisFromEast: number;
}

export interface SiteReference {
  /** WGS84 degrees (IFC's degrees, minutes, seconds and millionths of a second, summed). */
  latitude: number;
  longitude: number;
  /** RefElevation, metres (0 when the file leaves it out). */
  elevation: number;
  /** The site's placement origin in the model's coordinates (metres): the point the reference is of. */
  point: { x: number; y: number; z: number };
}

/**
 * The file's geolocation, or undefined when it has none (no site reference, no map conversion).
 * Read from the STEP text by attribute position, as all of the file's data is (step-file.ts).
 */
export function readGeolocation(file: StepFile, units: IfcUnits): IfcGeolocation | undefined {
  const project = file.entity(file.idsOf('IFCPROJECT')[0] ?? 0);
  const context = modelContext(file, project);
  const site = siteReference(file, units);
  const { conversion: mapConversion, ignored } = readMapConversion(file, units, context?.id);
  if (!site && !mapConversion && ignored.length === 0) return undefined;
  return { site, mapConversion, ignored, xAxisFromEast: xAxisFromEast(file, context) };
}

const metres = (units: IfcUnits, value: number) => units.toSi('LENGTHUNIT', value);

/** IfcSite: RefLatitude, RefLongitude, RefElevation are its 10th to 12th attributes (IFC2X3 and IFC4 alike). */
function siteReference(file: StepFile, units: IfcUnits): SiteReference | undefined {
  const site = file.entity(file.idsOf('IFCSITE')[0] ?? 0);
  const a = site?.attributes ?? [];
  const latitude = degreesOf(a[9]);
  const longitude = degreesOf(a[10]);
  if (!site || latitude === undefined || longitude === undefined) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 360) return undefined;
  const [x, y, z] = placementOrigin(file, step.ref(a[5]));
  return {
    latitude,
    longitude: longitude > 180 ? longitude - 360 : longitude,
    elevation: metres(units, step.number(a[11]) ?? 0),
    point: { x: metres(units, x), y: metres(units, y), z: metres(units, z) },
  };
}

/**
 * IfcCompoundPlaneAngleMeasure: degrees, minutes, seconds and, optionally, millionths of a second,
 * all with the angle's sign (so the sum is the angle).
 */
function degreesOf(value: StepValue | undefined): number | undefined {
  if (!Array.isArray(value) || value.length < 3) return undefined;
  const [d, m, s, micro = 0] = value.map((v) => step.number(v) ?? Number.NaN);
  const degrees = d! + m! / 60 + s! / 3600 + micro / 3.6e9;
  return Number.isFinite(degrees) ? degrees : undefined;
}

/**
 * The project's 3D model context (IfcGeometricRepresentationContext: ContextIdentifier,
 * ContextType, CoordinateSpaceDimension, Precision, WorldCoordinateSystem, TrueNorth): what the
 * geometry, TrueNorth and a map conversion refer to.
 */
function modelContext(file: StepFile, project: StepEntity | undefined): StepEntity | undefined {
  const contexts = step
    .refs(project?.attributes[7])
    .map((id) => file.entity(id))
    .filter((c) => c?.type === 'IFCGEOMETRICREPRESENTATIONCONTEXT') as StepEntity[];
  const isModel = (c: StepEntity) => step.text(c.attributes[1]) === 'Model';
  return contexts.find((c) => isModel(c) && step.number(c.attributes[2]) === 3) ?? contexts.find(isModel) ?? contexts[0];
}

/** TrueNorth gives north's direction in the model's x/y; east is a quarter turn clockwise from it. */
function xAxisFromEast(file: StepFile, context: StepEntity | undefined): number {
  const north = directionOf(file, step.ref(context?.attributes[5]));
  if (!north || (north[0] === 0 && north[1] === 0)) return 0;
  const degrees = 90 - (Math.atan2(north[1]!, north[0]!) * 180) / Math.PI;
  return ((degrees + 540) % 360) - 180;
}

/**
 * The origin of an IfcLocalPlacement (PlacementRelTo, RelativePlacement) in the model's
 * coordinates (file units): each placement is relative to the one it names, down to the model's
 * own axes. IfcAxis2Placement3D: Location, Axis, RefDirection.
 */
function placementOrigin(file: StepFile, placementId: number | null): [number, number, number] {
  let point: [number, number, number] = [0, 0, 0];
  const seen = new Set<number>();
  let id = placementId;
  while (id !== null && !seen.has(id)) {
    seen.add(id);
    const placement = file.entity(id);
    const axes = file.entity(step.ref(placement?.attributes[1]) ?? 0);
    if (placement?.type !== 'IFCLOCALPLACEMENT' || axes?.type !== 'IFCAXIS2PLACEMENT3D') break;
    const location = numbersOf(file.entity(step.ref(axes.attributes[0]) ?? 0)?.attributes[0]) ?? [0, 0, 0];
    const z = normalized(directionOf(file, step.ref(axes.attributes[1])) ?? [0, 0, 1]);
    const xHint = directionOf(file, step.ref(axes.attributes[2])) ?? [1, 0, 0];
    // IFC's axes: z as given, x the reference direction made perpendicular to z, y = z × x.
    const dot = xHint[0]! * z[0] + xHint[1]! * z[1] + (xHint[2] ?? 0) * z[2];
    const x = normalized([xHint[0]! - dot * z[0], xHint[1]! - dot * z[1], (xHint[2] ?? 0) - dot * z[2]]);
    const y: [number, number, number] = [z[1] * x[2] - z[2] * x[1], z[2] * x[0] - z[0] * x[2], z[0] * x[1] - z[1] * x[0]];
    point = [0, 1, 2].map((i) => (location[i] ?? 0) + x[i]! * point[0] + y[i]! * point[1] + z[i]! * point[2]) as [number, number, number];
    id = step.ref(placement.attributes[0]);
  }
  return point;
}

function normalized(v: number[]): [number, number, number] {
  const [x = 0, y = 0, z = 0] = v;
  const length = Math.hypot(x, y, z) || 1;
  return [x / length, y / length, z / length];
}

function directionOf(file: StepFile, id: number | null): number[] | undefined {
  return id === null ? undefined : numbersOf(file.entity(id)?.attributes[0]);
}

function numbersOf(value: StepValue | undefined): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const numbers = value.map((v) => step.number(v) ?? Number.NaN);
  return numbers.every(Number.isFinite) ? numbers : undefined;
}
