import type { IModelDb } from '@itwin/core-backend';
import { Cartographic, EcefLocation } from '@itwin/core-common';
import { Angle, Point3d } from '@itwin/core-geometry';
import type { SourceFile } from './provenance.js';
import type { IfcGeolocation, MapConversion, ProjectedCrs } from './read-geolocation.js';
import { utmToGeographic, utmZoneOf } from './utm.js';

/**
 * What the iModel records about who placed it on the earth and how, beside its ECEF location, as
 * a file property (namespace `twinsync`, name `geolocation`, JSON). iTwin.js 5.1 cannot keep a
 * geographic coordinate system in an iModel without its CRS database, which it only loads from
 * Bentley's cloud at run time; so the IFC file's projected CRS and map conversion are kept here,
 * as the file gave them, for anyone who can apply them.
 */
export interface GeolocationRecord {
  sourceFileId: string;
  fileName: string;
  /**
   * The map conversion's source (`IfcMapConversion`, `IfcRigidOperation`, `ePSet_MapConversion`: to
   * a UTM zone twinsync projects itself) or `IfcSite` (RefLatitude, RefLongitude).
   */
  from: MapConversion['source'] | 'IfcSite';
  /** The point of the model that was placed (metres) and where: WGS84 degrees, metres. */
  point: { x: number; y: number; z: number };
  latitude: number;
  longitude: number;
  height: number;
  /** Counter-clockwise from east to the model's x axis, degrees. */
  xAxisFromEast: number;
  crs?: ProjectedCrs & { epsg?: number };
  mapConversion?: Omit<MapConversion, 'crs'>;
}

const PROPERTY = { namespace: 'twinsync', name: 'geolocation' };
/** Two placements closer than this (metres at the origin, radians of rotation) are the same. */
const SAME_PLACE = 0.01;
const SAME_ANGLE = 1e-6;

/**
 * Places the iModel on the earth as the source file says: its ECEF location maps the file's point
 * to the latitude, longitude and height given, turned as the file's north says. The first source
 * file that placed the iModel keeps it placed (later ones that disagree get a warning back); that
 * file may move it again when it changes. A file that says nothing changes nothing.
 */
export function applyGeolocation(db: IModelDb, source: SourceFile, geolocation: IfcGeolocation | undefined): string[] {
  if (!geolocation) return [];
  const warnings = geolocation.ignored.map((words) => `'${source.fileName}': ${words}`);
  const record = recordOf(source, geolocation, warnings);
  if (!record) return warnings;
  const ecef = ecefOf(record);
  const current = currentRecord(db);
  const placedByOther = current ? current.sourceFileId !== source.id : db.ecefLocation !== undefined;
  // A re-sync that places the model where it already is writes nothing.
  if (!placedByOther && current && JSON.stringify(current) === JSON.stringify(record)) return warnings;
  if (placedByOther) {
    if (!db.ecefLocation || !samePlacement(db.ecefLocation, ecef)) {
      const by = current ? `'${current.fileName}'` : 'an earlier version';
      warnings.push(
        `'${source.fileName}' places the model at ${describe(record)}, but the iModel is already placed by ${by}` +
          `${current ? ` at ${describe(current)}` : ''}; the first placement is kept.`,
      );
    }
    return warnings;
  }
  db.setEcefLocation(ecef.toJSON());
  db.updateIModelProps();
  db.saveFileProperty(PROPERTY, JSON.stringify(record));
  return warnings;
}

/** The geolocation recorded in the iModel (by applyGeolocation), if any. */
export function currentRecord(db: IModelDb): GeolocationRecord | undefined {
  const text = db.queryFilePropertyString(PROPERTY);
  return text ? (JSON.parse(text) as GeolocationRecord) : undefined;
}

/**
 * Where the file's model goes: by its map conversion when the CRS is one twinsync can project
 * back to latitude and longitude (a UTM zone), otherwise by its site's reference point.
 */
function recordOf(source: SourceFile, geolocation: IfcGeolocation, warnings: string[]): GeolocationRecord | undefined {
  const { site, mapConversion } = geolocation;
  const base = { sourceFileId: source.id, fileName: source.fileName };
  const kept = mapConversion ? { crs: { ...mapConversion.crs }, mapConversion: withoutCrs(mapConversion) } : {};
  const zone = mapConversion && utmZoneOf(mapConversion.crs);
  if (mapConversion && zone) {
    const { latitude, longitude } = utmToGeographic(zone, mapConversion.eastings, mapConversion.northings);
    return {
      ...base,
      from: mapConversion.source,
      point: { x: 0, y: 0, z: 0 },
      latitude,
      longitude,
      height: mapConversion.orthogonalHeight,
      xAxisFromEast: mapXAxisFromEast(mapConversion, latitude, longitude, zone),
      crs: { ...mapConversion.crs, epsg: zone.epsg },
      mapConversion: withoutCrs(mapConversion),
    };
  }
  if (mapConversion) {
    warnings.push(
      `'${source.fileName}': the ${SOURCE_WORDS[mapConversion.source]} CRS '${mapConversion.crs.name}' is not a UTM zone twinsync can project; ` +
        (site ? "the site's reference latitude and longitude place the model instead." : 'the model is not placed on the earth.'),
    );
  }
  if (!site) return undefined;
  return {
    ...base,
    from: 'IfcSite',
    point: site.point,
    latitude: site.latitude,
    longitude: site.longitude,
    height: site.elevation,
    xAxisFromEast: geolocation.xAxisFromEast,
    ...kept,
  };
}

/** How a warning names each kind of map conversion. */
const SOURCE_WORDS: Record<MapConversion['source'], string> = {
  IfcMapConversion: "map conversion's",
  IfcRigidOperation: "rigid operation's",
  ePSet_MapConversion: "georeferencing property sets'",
};

function withoutCrs({ crs: _crs, ...rest }: MapConversion): Omit<MapConversion, 'crs'> {
  return rest;
}

/**
 * The model's x axis seen from east, on the ground: its direction on the map (XAxisAbscissa and
 * XAxisOrdinate) turned by the grid's convergence from true north there, measured by projecting a
 * point 10 m along it back to latitude and longitude.
 */
function mapXAxisFromEast(conversion: MapConversion, latitude: number, longitude: number, zone: NonNullable<ReturnType<typeof utmZoneOf>>): number {
  const length = Math.hypot(conversion.xAxisAbscissa, conversion.xAxisOrdinate);
  const step = 10;
  const along = utmToGeographic(
    zone,
    conversion.eastings + (step * conversion.xAxisAbscissa) / length,
    conversion.northings + (step * conversion.xAxisOrdinate) / length,
  );
  const phi = (latitude * Math.PI) / 180;
  const e2 = zone.flattening * (2 - zone.flattening);
  const w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const meridianRadius = (6378137 * (1 - e2)) / w ** 3;
  const normalRadius = 6378137 / w;
  const north = (((along.latitude - latitude) * Math.PI) / 180) * meridianRadius;
  const east = (((along.longitude - longitude) * Math.PI) / 180) * normalRadius * Math.cos(phi);
  return (Math.atan2(north, east) * 180) / Math.PI;
}

function ecefOf(record: GeolocationRecord): EcefLocation {
  const origin = Cartographic.fromDegrees({ latitude: record.latitude, longitude: record.longitude, height: record.height });
  const { x, y, z } = record.point;
  return EcefLocation.createFromCartographicOrigin(origin, Point3d.create(x, y, z), Angle.createDegrees(record.xAxisFromEast));
}

function samePlacement(a: EcefLocation, b: EcefLocation): boolean {
  const ma = a.orientation.toMatrix3d();
  const mb = b.orientation.toMatrix3d();
  return a.origin.distance(b.origin) < SAME_PLACE && ma.maxDiff(mb) < SAME_ANGLE;
}

function describe(record: GeolocationRecord): string {
  const crs = record.crs ? `, ${record.crs.name}` : '';
  return `latitude ${record.latitude.toFixed(7)}, longitude ${record.longitude.toFixed(7)}, height ${record.height.toFixed(2)} m${crs}`;
}
