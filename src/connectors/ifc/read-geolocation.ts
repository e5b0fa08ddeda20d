import * as WebIFC from 'web-ifc';

/**
 * Where an IFC file says its model stands on the earth, as the file gives it (lengths already in
 * metres, angles in degrees). geolocation.ts turns it into the iModel's ECEF location.
 */
export interface IfcGeolocation {
  /** IfcSite's reference point (IfcSite.RefLatitude/RefLongitude/RefElevation), if it has one. */
  site?: SiteReference;
  /** IFC4's IfcMapConversion from the model's coordinates to a projected CRS, if there is one. */
  mapConversion?: MapConversion;
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

export interface MapConversion {
  /** Map coordinates of the model's origin, in metres. */
  eastings: number;
  northings: number;
  orthogonalHeight: number;
  /** The model's x axis in map axes (not necessarily a unit vector). */
  xAxisAbscissa: number;
  xAxisOrdinate: number;
  /** Metres on the map per metre of the model. */
  scale: number;
  crs: ProjectedCrs;
}

/** IfcProjectedCRS as written (names only: IFC gives no parameters). */
export interface ProjectedCrs {
  name: string;
  description: string | null;
  geodeticDatum: string | null;
  verticalDatum: string | null;
  mapProjection: string | null;
  mapZone: string | null;
}

type Line = Record<string, unknown> & { expressID: number };
interface Ref {
  value: number;
}

/** The file's geolocation, or undefined when it has none (no site reference, no map conversion). */
export function readGeolocation(api: WebIFC.IfcAPI, model: number): IfcGeolocation | undefined {
  const project = firstOf(api, model, WebIFC.IFCPROJECT);
  const unit = lengthUnit(api, model, refOf(project?.UnitsInContext));
  const context = modelContext(api, model, project);
  const site = siteReference(api, model, unit);
  const mapConversion = readMapConversion(api, model, unit, context?.expressID);
  if (!site && !mapConversion) return undefined;
  return { site, mapConversion, xAxisFromEast: xAxisFromEast(api, model, context) };
}

function siteReference(api: WebIFC.IfcAPI, model: number, unit: number): SiteReference | undefined {
  const site = firstOf(api, model, WebIFC.IFCSITE);
  const latitude = degreesOf(site?.RefLatitude);
  const longitude = degreesOf(site?.RefLongitude);
  if (!site || latitude === undefined || longitude === undefined) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 360) return undefined;
  const placed = placementOrigin(api, model, refOf(site.ObjectPlacement));
  return {
    latitude,
    longitude: longitude > 180 ? longitude - 360 : longitude,
    elevation: (numberOf(site.RefElevation) ?? 0) * unit,
    point: { x: placed[0] * unit, y: placed[1] * unit, z: placed[2] * unit },
  };
}

/**
 * IfcCompoundPlaneAngleMeasure: degrees, minutes, seconds and, optionally, millionths of a second,
 * all with the angle's sign (so the sum is the angle).
 */
function degreesOf(value: unknown): number | undefined {
  const parts = (value as { value?: unknown } | null)?.value;
  if (!Array.isArray(parts) || parts.length < 3) return undefined;
  const [d, m, s, micro = 0] = parts.map((p) => (typeof p === 'number' ? p : Number((p as { value?: unknown })?.value)));
  const degrees = d! + m! / 60 + s! / 3600 + micro / 3.6e9;
  return Number.isFinite(degrees) ? degrees : undefined;
}

function readMapConversion(api: WebIFC.IfcAPI, model: number, unit: number, contextId: number | undefined): MapConversion | undefined {
  const conversions = [...linesOf(api, model, WebIFC.IFCMAPCONVERSION), ...linesOf(api, model, WebIFC.IFCMAPCONVERSIONSCALED)];
  // A file may georeference several contexts; the 3D model context's conversion is the one for the geometry.
  const conversion = conversions.find((c) => refOf(c.SourceCRS) === contextId) ?? conversions[0];
  const target = conversion && lineOf(api, model, refOf(conversion.TargetCRS));
  const eastings = numberOf(conversion?.Eastings);
  const northings = numberOf(conversion?.Northings);
  const name = textOf(target?.Name);
  if (!conversion || !target || eastings === undefined || northings === undefined || !name) return undefined;
  // Map coordinates are in the CRS's map unit, or the project's length unit when it names none.
  const mapUnitId = refOf(target.MapUnit);
  const mapUnit = mapUnitId ? (unitInMetres(api, model, mapUnitId, 0) ?? unit) : unit;
  const abscissa = numberOf(conversion.XAxisAbscissa) ?? 1;
  const ordinate = numberOf(conversion.XAxisOrdinate) ?? 0;
  return {
    eastings: eastings * mapUnit,
    northings: northings * mapUnit,
    orthogonalHeight: (numberOf(conversion.OrthogonalHeight) ?? 0) * mapUnit,
    xAxisAbscissa: abscissa === 0 && ordinate === 0 ? 1 : abscissa,
    xAxisOrdinate: ordinate,
    // Scale takes model units to map units; both are metres here.
    scale: ((numberOf(conversion.Scale) ?? 1) * unit) / mapUnit,
    crs: {
      name,
      description: textOf(target.Description),
      geodeticDatum: textOf(target.GeodeticDatum),
      verticalDatum: textOf(target.VerticalDatum),
      mapProjection: textOf(target.MapProjection),
      mapZone: textOf(target.MapZone),
    },
  };
}

/** The project's 3D model context: what the geometry, TrueNorth and a map conversion refer to. */
function modelContext(api: WebIFC.IfcAPI, model: number, project: Line | undefined): Line | undefined {
  const contexts = ((project?.RepresentationContexts as Ref[] | null) ?? []).map((r) => lineOf(api, model, r.value)).filter((c) => c !== undefined);
  return (
    contexts.find((c) => textOf(c.ContextType) === 'Model' && numberOf(c.CoordinateSpaceDimension) === 3) ??
    contexts.find((c) => textOf(c.ContextType) === 'Model') ??
    contexts[0]
  );
}

/** TrueNorth gives north's direction in the model's x/y; east is a quarter turn clockwise from it. */
function xAxisFromEast(api: WebIFC.IfcAPI, model: number, context: Line | undefined): number {
  const north = directionOf(api, model, refOf(context?.TrueNorth));
  if (!north || (north[0] === 0 && north[1] === 0)) return 0;
  const degrees = 90 - (Math.atan2(north[1]!, north[0]!) * 180) / Math.PI;
  return ((degrees + 540) % 360) - 180;
}

/**
 * The length unit of the project in metres: an SI unit with its prefix, or a conversion-based unit
 * (a foot is 0.3048 of a metre) followed down to SI. 1 when the file names none.
 */
function lengthUnit(api: WebIFC.IfcAPI, model: number, assignmentId: number): number {
  const assignment = lineOf(api, model, assignmentId);
  for (const ref of (assignment?.Units as Ref[] | null) ?? []) {
    const unit = lineOf(api, model, ref.value);
    if (enumOf(unit?.UnitType) !== 'LENGTHUNIT') continue;
    const metres = unitInMetres(api, model, ref.value, 0);
    if (metres !== undefined) return metres;
  }
  return 1;
}

const PREFIXES: Record<string, number> = {
  EXA: 1e18,
  PETA: 1e15,
  TERA: 1e12,
  GIGA: 1e9,
  MEGA: 1e6,
  KILO: 1e3,
  HECTO: 1e2,
  DECA: 1e1,
  DECI: 1e-1,
  CENTI: 1e-2,
  MILLI: 1e-3,
  MICRO: 1e-6,
  NANO: 1e-9,
  PICO: 1e-12,
  FEMTO: 1e-15,
  ATTO: 1e-18,
};

function unitInMetres(api: WebIFC.IfcAPI, model: number, unitId: number, depth: number): number | undefined {
  const unit = lineOf(api, model, unitId);
  if (!unit || depth > 4) return undefined;
  if (unit.type === WebIFC.IFCSIUNIT) {
    if (enumOf(unit.Name) !== 'METRE') return undefined;
    const prefix = enumOf(unit.Prefix);
    return prefix ? PREFIXES[prefix] : 1;
  }
  if (unit.type === WebIFC.IFCCONVERSIONBASEDUNIT || unit.type === WebIFC.IFCCONVERSIONBASEDUNITWITHOFFSET) {
    const factor = lineOf(api, model, refOf(unit.ConversionFactor));
    const value = numberOf(factor?.ValueComponent);
    const base = unitInMetres(api, model, refOf(factor?.UnitComponent), depth + 1);
    return value !== undefined && base !== undefined ? value * base : undefined;
  }
  return undefined;
}

/**
 * The origin of an IfcLocalPlacement in the model's coordinates (file units): each placement is
 * relative to the one it names, down to the model's own axes.
 */
function placementOrigin(api: WebIFC.IfcAPI, model: number, placementId: number): [number, number, number] {
  let point: [number, number, number] = [0, 0, 0];
  const seen = new Set<number>();
  let id = placementId;
  while (id && !seen.has(id)) {
    seen.add(id);
    const placement = lineOf(api, model, id);
    const axes = lineOf(api, model, refOf(placement?.RelativePlacement));
    if (!placement || !axes) break;
    const location = coordinatesOf(api, model, refOf(axes.Location)) ?? [0, 0, 0];
    const z = normalized(directionOf(api, model, refOf(axes.Axis)) ?? [0, 0, 1]);
    const xHint = directionOf(api, model, refOf(axes.RefDirection)) ?? [1, 0, 0];
    // IFC's axes: z as given, x the reference direction made perpendicular to z, y = z × x.
    const dot = xHint[0]! * z[0] + xHint[1]! * z[1] + (xHint[2] ?? 0) * z[2];
    const x = normalized([xHint[0]! - dot * z[0], xHint[1]! - dot * z[1], (xHint[2] ?? 0) - dot * z[2]]);
    const y: [number, number, number] = [z[1] * x[2] - z[2] * x[1], z[2] * x[0] - z[0] * x[2], z[0] * x[1] - z[1] * x[0]];
    point = [0, 1, 2].map((i) => location[i]! + x[i]! * point[0] + y[i]! * point[1] + z[i]! * point[2]) as [number, number, number];
    id = refOf(placement.PlacementRelTo);
  }
  return point;
}

function normalized(v: number[]): [number, number, number] {
  const [x = 0, y = 0, z = 0] = v;
  const length = Math.hypot(x, y, z) || 1;
  return [x / length, y / length, z / length];
}

function directionOf(api: WebIFC.IfcAPI, model: number, id: number): number[] | undefined {
  return numbersOf(lineOf(api, model, id)?.DirectionRatios);
}

function coordinatesOf(api: WebIFC.IfcAPI, model: number, id: number): number[] | undefined {
  const values = numbersOf(lineOf(api, model, id)?.Coordinates);
  return values ? [values[0] ?? 0, values[1] ?? 0, values[2] ?? 0] : undefined;
}

function numbersOf(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const numbers = value.map((v) => numberOf(v) ?? Number.NaN);
  return numbers.every(Number.isFinite) ? numbers : undefined;
}

function firstOf(api: WebIFC.IfcAPI, model: number, type: number): Line | undefined {
  return linesOf(api, model, type)[0];
}

function linesOf(api: WebIFC.IfcAPI, model: number, type: number): Line[] {
  const ids = api.GetLineIDsWithType(model, type);
  const lines: Line[] = [];
  for (let i = 0; i < ids.size(); i++) {
    const line = lineOf(api, model, ids.get(i));
    if (line) lines.push(line);
  }
  return lines;
}

/** A line by its STEP id, or undefined when the file refers to one it does not hold. */
function lineOf(api: WebIFC.IfcAPI, model: number, id: number): Line | undefined {
  if (!id) return undefined;
  try {
    return api.GetLine(model, id) as Line;
  } catch {
    return undefined;
  }
}

function refOf(value: unknown): number {
  const v = (value as Ref | null | undefined)?.value;
  return typeof v === 'number' ? v : 0;
}

/** web-ifc's typed values: a number as `value` or `_representationValue`, or a bare number. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { value?: unknown; _representationValue?: unknown };
  const raw = v._representationValue ?? v.value;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function textOf(value: unknown): string | null {
  const v = (value as { value?: unknown } | null)?.value;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function enumOf(value: unknown): string | null {
  const v = (value as { value?: unknown } | null)?.value;
  return typeof v === 'string' ? v.replace(/\./g, '').toUpperCase() : null;
}
