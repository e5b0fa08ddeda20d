import type { ProjectedCrs } from './read-geolocation.js';

/**
 * The projected CRSs twinsync can turn back into latitude and longitude itself: UTM zones on WGS84
 * (EPSG:326zz north, 327zz south) and on ETRS89 (EPSG:258zz, zones 28 to 38), the ones most IFC
 * files with a map conversion use. Anything else needs a CRS database, which iTwin.js keeps in
 * Bentley's cloud (see geolocation.ts).
 */
export interface UtmZone {
  zone: number;
  south: boolean;
  /** The ellipsoid's flattening: WGS84's, or GRS80's for ETRS89 (they differ by 0.1 mm). */
  flattening: number;
  epsg: number;
}

const WGS84 = 1 / 298.257223563;
const GRS80 = 1 / 298.257222101;
const EQUATORIAL_RADIUS = 6378137;

/** The UTM zone an IfcProjectedCRS names, by EPSG code or by "UTM zone 32N" and the like. */
export function utmZoneOf(crs: ProjectedCrs): UtmZone | undefined {
  const code = /^(?:EPSG\s*:?\s*)?(\d{4,5})$/i.exec(crs.name.trim())?.[1];
  if (code) return zoneOfEpsg(Number(code));
  const text = [crs.name, crs.mapProjection, crs.mapZone].filter(Boolean).join(' ');
  const named = /UTM(?:\s*zone)?\s*(\d{1,2})\s*([NS])?\b/i.exec(text) ?? (/UTM/i.test(text) ? /^(\d{1,2})\s*([NS])?$/i.exec(crs.mapZone ?? '') : null);
  if (!named) return undefined;
  const zone = Number(named[1]);
  const south = named[2]?.toUpperCase() === 'S';
  if (zone < 1 || zone > 60) return undefined;
  const etrs = /ETRS/i.test(`${crs.name} ${crs.geodeticDatum ?? ''}`);
  if (etrs && !south && zone >= 28 && zone <= 38) return { zone, south, flattening: GRS80, epsg: 25800 + zone };
  return { zone, south, flattening: WGS84, epsg: (south ? 32700 : 32600) + zone };
}

function zoneOfEpsg(epsg: number): UtmZone | undefined {
  if (epsg >= 32601 && epsg <= 32660) return { zone: epsg - 32600, south: false, flattening: WGS84, epsg };
  if (epsg >= 32701 && epsg <= 32760) return { zone: epsg - 32700, south: true, flattening: WGS84, epsg };
  if (epsg >= 25828 && epsg <= 25838) return { zone: epsg - 25800, south: false, flattening: GRS80, epsg };
  return undefined;
}

/**
 * Easting and northing (metres) in a UTM zone to latitude and longitude (degrees): the inverse
 * transverse Mercator projection in Krüger's series to the fourth power of the third flattening,
 * better than a millimetre within a zone.
 */
export function utmToGeographic(zone: UtmZone, easting: number, northing: number): { latitude: number; longitude: number } {
  const f = zone.flattening;
  const n = f / (2 - f);
  const n2 = n * n;
  const n3 = n2 * n;
  const n4 = n3 * n;
  // The rectifying radius: the meridian's length is 2πA.
  const A = (EQUATORIAL_RADIUS / (1 + n)) * (1 + n2 / 4 + n4 / 64);
  const beta = [
    n / 2 - (2 * n2) / 3 + (37 * n3) / 96 - n4 / 360,
    n2 / 48 + n3 / 15 - (437 * n4) / 1440,
    (17 * n3) / 480 - (37 * n4) / 840,
    (4397 * n4) / 161280,
  ];
  const delta = [
    2 * n - (2 * n2) / 3 - 2 * n3 + (116 * n4) / 45,
    (7 * n2) / 3 - (8 * n3) / 5 - (227 * n4) / 45,
    (56 * n3) / 15 - (136 * n4) / 35,
    (4279 * n4) / 630,
  ];
  const k0 = 0.9996;
  const xi = (northing - (zone.south ? 10_000_000 : 0)) / (k0 * A);
  const eta = (easting - 500_000) / (k0 * A);
  let xiPrime = xi;
  let etaPrime = eta;
  for (let j = 1; j <= 4; j++) {
    xiPrime -= beta[j - 1]! * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
    etaPrime -= beta[j - 1]! * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
  }
  // The conformal latitude, then the geodetic one.
  const chi = Math.asin(Math.sin(xiPrime) / Math.cosh(etaPrime));
  let phi = chi;
  for (let j = 1; j <= 4; j++) phi += delta[j - 1]! * Math.sin(2 * j * chi);
  const centralMeridian = zone.zone * 6 - 183;
  const lambda = Math.atan2(Math.sinh(etaPrime), Math.cos(xiPrime));
  return { latitude: (phi * 180) / Math.PI, longitude: centralMeridian + (lambda * 180) / Math.PI };
}
