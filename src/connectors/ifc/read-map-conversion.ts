import { type IfcUnits, ownUnit } from './ifc-units.js';
import { type StepEntity, type StepFile, type StepValue, step } from './step-file.js';

/**
 * How the model's coordinates become map coordinates in a projected CRS, from whichever of IFC's
 * three ways the file uses (the first found, in this order):
 * - IFC4's `IfcMapConversion` (and IFC4X3's `IfcMapConversionScaled`): a translation, a turn and a
 *   scale;
 * - IFC4X3's `IfcRigidOperation` with lengths: a translation only (the model's axes are the map's);
 * - IFC2X3's georeferencing convention: `ePSet_MapConversion` and `ePSet_ProjectedCRS`, property
 *   sets of the `IfcSite` (or the `IfcProject`) holding the same values as IFC4's two entities,
 *   since IFC2X3 has no entity for them. The entities come first when a file has both, as the
 *   convention says.
 */
export interface MapConversion {
  /** Which of the three the file used. */
  source: 'IfcMapConversion' | 'IfcRigidOperation' | 'ePSet_MapConversion';
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

/** The conversion the file gives, if any, and what was found but could not be used (in words, for warnings). */
export function readMapConversion(file: StepFile, units: IfcUnits, contextId: number | undefined): { conversion?: MapConversion; ignored: string[] } {
  const ignored: string[] = [];
  const conversion = fromMapConversion(file, units, contextId) ?? fromRigidOperation(file, units, contextId, ignored) ?? fromPropertySets(file, units, ignored);
  return { conversion, ignored };
}

const metres = (units: IfcUnits, value: number) => units.toSi('LENGTHUNIT', value);

/** The coordinate operation of the 3D model context (a file may georeference several contexts), or the first. */
function operationOf(file: StepFile, types: string[], contextId: number | undefined): StepEntity | undefined {
  const operations = file.idsOf(...types).map((id) => file.entity(id)!);
  return operations.find((o) => step.ref(o.attributes[0]) === contextId) ?? operations[0];
}

/**
 * An IfcProjectedCRS (Name, Description, GeodeticDatum, VerticalDatum, MapProjection, MapZone,
 * MapUnit), with its map unit in metres: map coordinates are in it, or in the project's length unit
 * when it names none.
 */
function projectedCrs(file: StepFile, units: IfcUnits, id: number | null): { crs: ProjectedCrs; mapUnit: number } | undefined {
  const target = file.entity(id ?? 0);
  const t = target?.attributes ?? [];
  const name = step.text(t[0]);
  if (target?.type !== 'IFCPROJECTEDCRS' || !name) return undefined;
  const own = ownUnit(file, t[6]);
  return {
    crs: {
      name: name.trim(),
      description: trimmed(step.text(t[1])),
      geodeticDatum: trimmed(step.text(t[2])),
      verticalDatum: trimmed(step.text(t[3])),
      mapProjection: trimmed(step.text(t[4])),
      mapZone: trimmed(step.text(t[5])),
    },
    mapUnit: own?.type === 'LENGTHUNIT' ? own.conversion.factor : metres(units, 1),
  };
}

/**
 * IfcMapConversion (SourceCRS, TargetCRS, Eastings, Northings, OrthogonalHeight, XAxisAbscissa,
 * XAxisOrdinate, Scale) to an IfcProjectedCRS.
 */
function fromMapConversion(file: StepFile, units: IfcUnits, contextId: number | undefined): MapConversion | undefined {
  const a = operationOf(file, ['IFCMAPCONVERSION', 'IFCMAPCONVERSIONSCALED'], contextId)?.attributes ?? [];
  const target = projectedCrs(file, units, step.ref(a[1]));
  const eastings = step.number(a[2]);
  const northings = step.number(a[3]);
  if (!target || eastings === null || northings === null) return undefined;
  return conversionOf('IfcMapConversion', units, target, {
    eastings,
    northings,
    height: step.number(a[4]),
    abscissa: step.number(a[5]),
    ordinate: step.number(a[6]),
    scale: step.number(a[7]),
  });
}

/**
 * IFC4X3's IfcRigidOperation (SourceCRS, TargetCRS, FirstCoordinate, SecondCoordinate, Height): a
 * translation, no turn, no scale. Its coordinates are lengths (map coordinates in a projected CRS)
 * or plane angles (a geographic CRS). Angles are not applied: IFC leaves their order to the CRS
 * (its own example reads longitude first, EPSG:4326 orders latitude first) and a swapped pair would
 * put the model on another continent without a word.
 */
function fromRigidOperation(file: StepFile, units: IfcUnits, contextId: number | undefined, ignored: string[]): MapConversion | undefined {
  const operation = operationOf(file, ['IFCRIGIDOPERATION'], contextId);
  if (!operation) return undefined;
  const a = operation.attributes;
  const kinds = [measureKind(a[2]), measureKind(a[3])];
  if (kinds.some((k) => k === 'angle')) {
    ignored.push(
      `IfcRigidOperation #${operation.id} gives its coordinates as plane angles (a geographic CRS), whose order IFC leaves to the CRS: it is not applied.`,
    );
    return undefined;
  }
  const target = projectedCrs(file, units, step.ref(a[1]));
  const first = step.number(a[2]);
  const second = step.number(a[3]);
  if (!target || first === null || second === null) {
    ignored.push(`IfcRigidOperation #${operation.id} has no projected CRS (IfcProjectedCRS with a name) or no coordinates: it is not applied.`);
    return undefined;
  }
  return conversionOf('IfcRigidOperation', units, target, { eastings: first, northings: second, height: step.number(a[4]) });
}

/** A measure value's kind: IfcMeasureValue is a select, so each value names its type. */
function measureKind(value: StepValue | undefined): 'length' | 'angle' | 'other' {
  const type = value !== null && typeof value === 'object' && 'type' in value ? value.type : '';
  if (/^IFC(POSITIVE|NONNEGATIVE)?LENGTHMEASURE$/.test(type)) return 'length';
  if (/^IFC(POSITIVE)?PLANEANGLEMEASURE$/.test(type)) return 'angle';
  return 'other';
}

/**
 * The IFC2X3 convention: ePSet_MapConversion (Eastings, Northings, OrthogonalHeight,
 * XAxisAbscissa, XAxisOrdinate, Scale) and ePSet_ProjectedCRS (Name, Description, GeodeticDatum,
 * VerticalDatum, MapProjection, MapZone, MapUnit) on the site, or on the project. Names are
 * compared without case (exporters write `ePSet_`, `EPset_`, `ePset_`). MapUnit is text here, read
 * as the name of a unit; without one, map coordinates are in the project's length unit, as in IFC4.
 */
function fromPropertySets(file: StepFile, units: IfcUnits, ignored: string[]): MapConversion | undefined {
  for (const owner of [...file.idsOf('IFCSITE').slice(0, 1), ...file.idsOf('IFCPROJECT').slice(0, 1)]) {
    const conversion = propertySet(file, owner, 'epset_mapconversion');
    if (!conversion) continue;
    const crs = propertySet(file, owner, 'epset_projectedcrs') ?? new Map<string, PsetValue>();
    const where = `${file.typeOf(owner) === 'IFCSITE' ? 'IfcSite' : 'IfcProject'} #${owner}`;
    const name = crs.get('name')?.text;
    const eastings = conversion.get('eastings')?.number;
    const northings = conversion.get('northings')?.number;
    if (!name || eastings == null || northings == null) {
      ignored.push(`ePSet_MapConversion of ${where} lacks ${!name ? "its CRS's name (ePSet_ProjectedCRS.Name)" : 'Eastings or Northings'}: it is not applied.`);
      return undefined;
    }
    const unitName = crs.get('mapunit')?.text;
    const mapUnit = unitName ? lengthUnitNamed(unitName) : metres(units, 1);
    if (mapUnit === undefined) {
      ignored.push(`ePSet_ProjectedCRS of ${where} gives MapUnit '${unitName}', which is not a length unit twinsync knows: the map conversion is not applied.`);
      return undefined;
    }
    const text = (key: string) => trimmed(crs.get(key)?.text ?? null);
    const target = {
      crs: {
        name: name.trim(),
        description: text('description'),
        geodeticDatum: text('geodeticdatum'),
        verticalDatum: text('verticaldatum'),
        mapProjection: text('mapprojection'),
        mapZone: text('mapzone'),
      },
      mapUnit,
    };
    const number = (key: string) => conversion.get(key)?.number ?? null;
    return conversionOf('ePSet_MapConversion', units, target, {
      eastings,
      northings,
      height: number('orthogonalheight'),
      abscissa: number('xaxisabscissa'),
      ordinate: number('xaxisordinate'),
      scale: number('scale'),
    });
  }
  return undefined;
}

interface PsetValue {
  text: string | null;
  number: number | null;
}

/** A property set of an object, by name without case: its single values by property name, lower case. */
function propertySet(file: StepFile, objectId: number, name: string): Map<string, PsetValue> | undefined {
  for (const relId of file.idsOf('IFCRELDEFINESBYPROPERTIES')) {
    const rel = file.entity(relId)!.attributes;
    const set = file.entity(step.ref(rel[5]) ?? 0);
    if (set?.type !== 'IFCPROPERTYSET' || step.text(set.attributes[2])?.trim().toLowerCase() !== name) continue;
    if (!step.refs(rel[4]).includes(objectId)) continue;
    const values = new Map<string, PsetValue>();
    for (const propertyId of step.refs(set.attributes[4])) {
      const property = file.entity(propertyId);
      const key = step.text(property?.attributes[0]);
      if (property?.type !== 'IFCPROPERTYSINGLEVALUE' || !key) continue;
      values.set(key.trim().toLowerCase(), { text: step.text(property.attributes[2]), number: step.number(property.attributes[2]) });
    }
    return values;
  }
  return undefined;
}

/**
 * Metres in a length unit named in words, as ePSet_ProjectedCRS.MapUnit is: IFC's own names
 * (METRE, MILLI METRE as IfcSIUnit spells them, FOOT) and their common spellings; undefined when
 * the name is not one of them.
 */
export function lengthUnitNamed(name: string): number | undefined {
  const key = name.toLowerCase().replace(/[\s_.-]/g, '');
  const si: Record<string, number> = { '': 1, milli: 0.001, centi: 0.01, deci: 0.1, kilo: 1000 };
  const metre = /^(milli|centi|deci|kilo)?(metre|meter)s?$/.exec(key);
  if (metre) return si[metre[1] ?? '']!;
  const short: Record<string, number> = { m: 1, mm: 0.001, cm: 0.01, km: 1000, ft: 0.3048, foot: 0.3048, feet: 0.3048, internationalfoot: 0.3048 };
  if (key in short) return short[key];
  // The US survey foot: 1200/3937 m exactly (2 ppm more than the international foot).
  if (/^(us)?surveyf(oo|ee)t$|^usf(oo|ee)t$|^ftus$/.test(key)) return 1200 / 3937;
  return undefined;
}

/** A conversion from what the file wrote, in the CRS's map unit; what it leaves out takes IFC's defaults. */
function conversionOf(
  source: MapConversion['source'],
  units: IfcUnits,
  { crs, mapUnit }: { crs: ProjectedCrs; mapUnit: number },
  written: { eastings: number; northings: number; height: number | null; abscissa?: number | null; ordinate?: number | null; scale?: number | null },
): MapConversion {
  const abscissa = written.abscissa ?? 1;
  const ordinate = written.ordinate ?? 0;
  const scale = written.scale ?? null;
  return {
    source,
    eastings: written.eastings * mapUnit,
    northings: written.northings * mapUnit,
    orthogonalHeight: (written.height ?? 0) * mapUnit,
    xAxisAbscissa: abscissa === 0 && ordinate === 0 ? 1 : abscissa,
    xAxisOrdinate: ordinate,
    // Metres on the map per metre of the model. IFC4's Scale takes numbers in the model's length
    // unit to numbers in the map's (0.001 for a model in mm on a map in m), so the unit ratio
    // comes back in; omitted, it means the two agree.
    scale: scale === null ? 1 : (scale * mapUnit) / metres(units, 1),
    crs,
  };
}

function trimmed(text: string | null): string | null {
  return text === null ? null : text.trim();
}
