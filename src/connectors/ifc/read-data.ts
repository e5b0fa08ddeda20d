import { ownUnit, type Conversion, type IfcUnits, type UnitType, unitTypeOfMeasure } from './ifc-units.js';
import { SPATIAL_TYPES } from './read-structure.js';
import { type StepFile, type StepValue, step } from './step-file.js';

/**
 * Everything an IFC file says about its objects besides geometry, read from the STEP text by
 * attribute position (see step-file.ts for why not web-ifc): property sets and quantity sets (the
 * object's own and its type's), type objects, materials (single, lists, layer, profile and
 * constituent sets), classification references, and the Description, ObjectType and Tag
 * attributes. Measured values are brought to SI with the file's units and keep their kind.
 */

export type Scalar = string | number | boolean;

export interface IfcPropertyValue {
  name: string;
  /** A single value; a list (list and enumerated values); a bounded value; a table of defining → defined values. */
  value: Scalar | Scalar[] | IfcBounded | IfcTable;
  /** What the number measures (the value is in its SI unit), when it is a measure twinsync converts. */
  kind?: UnitType;
  /** Integers (IfcInteger, IfcCountMeasure, quantity counts): shown without decimals. */
  integer?: boolean;
}
export interface IfcBounded {
  lower?: Scalar;
  upper?: Scalar;
  setPoint?: Scalar;
}
export interface IfcTable {
  table: [Scalar | null, Scalar | null][];
}

export interface IfcPropertySet {
  name: string;
  /** An IfcElementQuantity (quantities), or an IfcPropertySet. */
  quantities: boolean;
  properties: IfcPropertyValue[];
}

export interface IfcMaterialUse {
  material: string;
  category: string | null;
  /** How the object uses it: alone, in a list, as a layer, a profile or a constituent of a set. */
  usage: 'material' | 'list' | 'layer' | 'profile' | 'constituent';
  /** The set's name (layer set, profile set, constituent set), if it has one. */
  set: string | null;
  /** Position in the list or set, from 1. */
  index: number | null;
  /** Layers: thickness in metres. */
  thickness: number | null;
  /** Constituents: the fraction of the whole. */
  fraction: number | null;
}

export interface IfcClassificationReference {
  /** The classification system (e.g. Uniclass 2015), as the file names it. */
  system: string | null;
  edition: string | null;
  identification: string | null;
  name: string | null;
  location: string | null;
}

/** What an object (product, spatial element or type) carries besides geometry and placement. */
export interface IfcObjectData {
  description: string | null;
  objectType: string | null;
  tag: string | null;
  propertySets: IfcPropertySet[];
  materials: IfcMaterialUse[];
  classifications: IfcClassificationReference[];
  /** The type object it is an occurrence of, by STEP id. */
  typeId: number | null;
}

/** A type object (IfcWallType, IfcDoorStyle, …): a definition its occurrences share. */
export interface IfcTypeObject {
  expressId: number;
  /** The entity as STEP writes it, upper case (`IFCWALLTYPE`). */
  type: string;
  globalId: string;
  name: string | null;
  /** ElementType attribute (IfcElementType and its subtypes). */
  elementType: string | null;
  applicableOccurrence: string | null;
  data: IfcObjectData;
}

export interface IfcData {
  /** Type objects, with their data (a file has few). */
  types: IfcTypeObject[];
  /**
   * An object's data (product or spatial element), read from the file each time it is asked for:
   * kept for every product, it was most of what a conversion held (58 MB of a 50 MB file's).
   */
  dataOf(id: number): IfcObjectData;
  /** The type object an object is an occurrence of, by STEP id. */
  typeOf(id: number): number | null;
  /** What could not be read, of what was read so far (complete once every object's data was). */
  warnings(): string[];
}

const EMPTY = (): IfcObjectData => ({
  description: null,
  objectType: null,
  tag: null,
  propertySets: [],
  materials: [],
  classifications: [],
  typeId: null,
});

/**
 * The names of an entity's attributes in order and, where the schema types it, the measure each
 * holds (from web-ifc's schema: the STEP text gives values, not names). Used for IFC's predefined
 * property sets (door and window lining and panel properties, …), whose properties are attributes.
 */
export type AttributeNames = (id: number) => { name: string; measure?: string }[] | undefined;

/**
 * Indexes what the file says about its objects (which relationships name each object), reads
 * every type object's data at once, and any other object's when asked.
 */
export function readData(file: StepFile, units: IfcUnits, attributeNames?: AttributeNames, className?: (type: string) => string): IfcData {
  const reader = new DataReader(file, units, attributeNames, className);
  // Relationships by the objects they name, in file order (the order their sets and materials apply in).
  const typeOf = new Map<number, number>();
  // Type objects: every target of IfcRelDefinesByType, and every *TYPE / *STYLE object with a GlobalId.
  const typeIds = new Set<number>();
  for (const relId of file.idsOf('IFCRELDEFINESBYTYPE')) {
    const a = file.entity(relId)?.attributes;
    const typeId = step.ref(a?.[5]);
    if (typeId === null || !file.has(typeId)) continue;
    typeIds.add(typeId);
    for (const objectId of step.refs(a?.[4])) typeOf.set(objectId, typeId);
  }
  const propertyRels = relsByObject(file, 'IFCRELDEFINESBYPROPERTIES');
  const materialRels = relsByObject(file, 'IFCRELASSOCIATESMATERIAL');
  const classificationRels = relsByObject(file, 'IFCRELASSOCIATESCLASSIFICATION');

  /** What relationships give an object, after its own attributes (`data`, filled in EMPTY's order). */
  const related = (id: number, data: IfcObjectData): IfcObjectData => {
    for (const relId of propertyRels.of(id)) {
      const sets = step.refs(unwrap(file.entity(relId)?.attributes[5])).flatMap((setId) => reader.propertySet(setId) ?? []);
      for (const set of sets) mergeSet(data.propertySets, set);
    }
    for (const relId of materialRels.of(id)) data.materials.push(...reader.materials(step.ref(file.entity(relId)?.attributes[5]) ?? 0));
    for (const relId of classificationRels.of(id)) {
      const reference = reader.classification(step.ref(file.entity(relId)?.attributes[5]) ?? 0);
      if (reference) data.classifications.push(reference);
    }
    return data;
  };

  for (const type of file.typesPresent()) {
    if (!/(TYPE|STYLE)$/.test(type) || type.startsWith('IFCREL')) continue;
    for (const id of file.idsOf(type)) {
      // A type object's second attribute is its owner history: a reference or unset (a surface style's is an enumeration).
      const a = file.entity(id)?.attributes ?? [];
      if (isGlobalId(a[0]) && (a[1] === null || step.ref(a[1]) !== null)) typeIds.add(id);
    }
  }
  const types: IfcTypeObject[] = [];
  const typeData = new Map<number, IfcObjectData>();
  for (const id of typeIds) {
    const entity = file.entity(id)!;
    const a = entity.attributes;
    // Tag and ElementType belong to product types; process and resource types have other attributes there.
    const productType = !PROCESS_OR_RESOURCE_TYPE.test(entity.type);
    const data = related(id, {
      ...EMPTY(),
      description: step.text(a[3]),
      tag: productType ? step.text(a[7]) : null,
      // Its own sets first, then those relationships give it.
      propertySets: step.refs(unwrap(a[5])).flatMap((setId) => reader.propertySet(setId) ?? []),
    });
    typeData.set(id, data);
    types.push({
      expressId: id,
      type: entity.type,
      globalId: step.text(a[0]) ?? `#${id}`,
      name: step.text(a[2]),
      elementType: productType ? step.text(a[8]) : null,
      applicableOccurrence: step.text(a[4]),
      data,
    });
  }

  return {
    types,
    dataOf(id) {
      const entity = file.entity(id);
      if (!entity) return EMPTY();
      const a = entity.attributes;
      const typeId = typeOf.get(id) ?? null;
      const data = related(id, {
        ...EMPTY(),
        description: step.text(a[3]),
        objectType: step.text(a[4]),
        // An IfcElement's 8th attribute is its Tag; other products have a list, an enumeration or a reference there.
        tag: typeof a[7] === 'string' && !isSpatial(entity.type) ? step.text(a[7]) : null,
        typeId,
      });
      // An occurrence without materials of its own has its type's (IFC's rule: the type's apply unless overridden).
      if (data.materials.length === 0 && typeId !== null) data.materials = [...(typeData.get(typeId)?.materials ?? [])];
      return data;
    },
    typeOf: (id) => typeOf.get(id) ?? null,
    warnings: () => reader.warnings(),
  };
}

/** The relationships of a class by each object they name: one id, or several, per object. */
function relsByObject(file: StepFile, relType: string): { of(id: number): number[] } {
  const rels = new Map<number, number | number[]>();
  for (const relId of file.idsOf(relType)) {
    for (const objectId of step.refs(file.entity(relId)?.attributes[4])) {
      const known = rels.get(objectId);
      if (known === undefined) rels.set(objectId, relId);
      else if (typeof known === 'number') rels.set(objectId, [known, relId]);
      else known.push(relId);
    }
  }
  return {
    of(id) {
      const known = rels.get(id);
      return known === undefined ? [] : typeof known === 'number' ? [known] : known;
    },
  };
}

const SPATIAL: ReadonlySet<string> = new Set(SPATIAL_TYPES);
function isSpatial(type: string): boolean {
  return SPATIAL.has(type);
}

/** IfcTypeProcess and IfcTypeResource subtypes (IfcTaskType, IfcLaborResourceType, …). */
const PROCESS_OR_RESOURCE_TYPE = /^IFC(TASK|EVENT|PROCEDURE|[A-Z]*RESOURCE)TYPE$/;

function isGlobalId(value: StepValue | undefined): boolean {
  return typeof value === 'string' && /^[0-9A-Za-z_$]{22}$/.test(value);
}

/** IFC4 may wrap a list of sets in IfcPropertySetDefinitionSet(…). */
function unwrap(value: StepValue | undefined): StepValue | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'type' in value ? value.value : value;
}

/** Two relations giving sets of the same name: their properties together, the later one winning. */
function mergeSet(sets: IfcPropertySet[], set: IfcPropertySet): void {
  const same = sets.find((s) => s.name === set.name && s.quantities === set.quantities);
  if (!same) {
    sets.push(set);
    return;
  }
  const merged = new Map(same.properties.map((p) => [p.name, p]));
  for (const p of set.properties) merged.set(p.name, p);
  sets[sets.indexOf(same)] = { ...same, properties: [...merged.values()] };
}

class DataReader {
  /** Predefined property sets (their attribute names come from web-ifc): read once each. */
  private readonly predefined = new Map<number, IfcPropertySet | null>();
  /** Materials, sets of them, and lists: shared by many objects (a set's usage by one object is not kept). */
  private readonly materialCache = new Map<number, IfcMaterialUse[]>();
  /** What was not read, by entity: data is read more than once, each entity counts once. */
  private readonly unsupported = new Map<string, Set<number>>();

  constructor(
    private readonly file: StepFile,
    private readonly units: IfcUnits,
    private readonly attributeNames?: AttributeNames,
    private readonly className?: (type: string) => string,
  ) {}

  /** A property set or quantity set. */
  propertySet(id: number): IfcPropertySet | null {
    if (this.predefined.has(id)) return this.predefined.get(id)!;
    const entity = this.file.entity(id);
    let set: IfcPropertySet | null = null;
    if (entity?.type === 'IFCPROPERTYSET') {
      const name = step.text(entity.attributes[2]);
      if (name) set = { name, quantities: false, properties: this.properties(step.refs(entity.attributes[4]), '', 0) };
    } else if (entity?.type === 'IFCELEMENTQUANTITY') {
      const name = step.text(entity.attributes[2]);
      if (name) set = { name, quantities: true, properties: this.quantities(step.refs(entity.attributes[5]), '', 0) };
    } else if (entity) {
      set = this.predefinedSet(entity.id, entity.type, entity.attributes);
      if (!set) this.notRead(entity.type, id);
      this.predefined.set(id, set);
    }
    return set;
  }

  /**
   * A predefined property set (IfcDoorLiningProperties, IfcWindowPanelProperties, …): a set named
   * after its entity, whose properties are its attributes after IfcRoot's four (references to other
   * entities, such as a shape aspect, left out).
   */
  private predefinedSet(id: number, type: string, attributes: StepValue[]): IfcPropertySet | null {
    if (!type.endsWith('PROPERTIES') || !this.attributeNames) return null;
    const names = this.attributeNames(id);
    if (!names) return null;
    const properties: IfcPropertyValue[] = [];
    for (let i = 4; i < Math.min(names.length, attributes.length); i++) {
      const raw = attributes[i];
      const { name, measure } = names[i]!;
      const enumName = step.enumOf(raw);
      if (enumName !== null) properties.push({ name, value: enumName === 'T' ? true : enumName === 'F' ? false : enumName });
      else if (typeof raw === 'string') properties.push({ name, value: raw });
      else if (typeof raw === 'number') {
        const unit = measure ? unitTypeOfMeasure(measure) : undefined;
        properties.push(unit ? { name, value: this.units.toSi(unit, raw), kind: unit } : { name, value: raw });
      }
    }
    return { name: this.className?.(type) ?? type, quantities: false, properties };
  }

  private properties(ids: number[], prefix: string, depth: number): IfcPropertyValue[] {
    const out: IfcPropertyValue[] = [];
    for (const id of ids) {
      const entity = this.file.entity(id);
      const name = step.text(entity?.attributes[0]);
      if (!entity || !name) continue;
      const a = entity.attributes;
      const full = prefix + name;
      switch (entity.type) {
        case 'IFCPROPERTYSINGLEVALUE': {
          const v = this.measured(a[2], a[3]);
          if (v) out.push({ name: full, ...v, value: v.value as Scalar });
          break;
        }
        case 'IFCPROPERTYENUMERATEDVALUE':
        case 'IFCPROPERTYLISTVALUE': {
          const unit = entity.type === 'IFCPROPERTYLISTVALUE' ? a[3] : undefined;
          const items = Array.isArray(a[2]) ? a[2].map((item) => this.measured(item, unit)).filter((v) => v !== undefined) : [];
          if (items.length === 0) break;
          out.push({
            name: full,
            value: items.length === 1 && entity.type === 'IFCPROPERTYENUMERATEDVALUE' ? items[0]!.value : items.map((i) => i.value),
            ...(items[0]!.kind && { kind: items[0]!.kind }),
            ...(items.every((i) => i.integer) && { integer: true }),
          });
          break;
        }
        case 'IFCPROPERTYBOUNDEDVALUE': {
          // Upper bound first, then lower, as IFC orders them; IFC4 adds a set point after the unit.
          const upper = this.measured(a[2], a[4]);
          const lower = this.measured(a[3], a[4]);
          const setPoint = this.measured(a[5], a[4]);
          if (!upper && !lower && !setPoint) break;
          const kind = (upper ?? lower ?? setPoint)!.kind;
          out.push({
            name: full,
            value: { ...(lower && { lower: lower.value }), ...(upper && { upper: upper.value }), ...(setPoint && { setPoint: setPoint.value }) },
            ...(kind && { kind }),
          });
          break;
        }
        case 'IFCPROPERTYTABLEVALUE': {
          const defining = Array.isArray(a[2]) ? a[2] : [];
          const defined = Array.isArray(a[3]) ? a[3] : [];
          const rows: [Scalar | null, Scalar | null][] = [];
          for (let i = 0; i < Math.max(defining.length, defined.length); i++) {
            rows.push([this.measured(defining[i], a[5])?.value ?? null, this.measured(defined[i], a[6])?.value ?? null]);
          }
          if (rows.length > 0) out.push({ name: full, value: { table: rows } });
          break;
        }
        case 'IFCPROPERTYREFERENCEVALUE': {
          // What it refers to, by the referenced thing's name (a material, a person, a time series …).
          const target = this.file.entity(step.ref(a[3]) ?? 0);
          const text = step.text(target?.attributes[0]) ?? step.text(target?.attributes[2]) ?? step.text(a[2]);
          if (text) out.push({ name: full, value: text });
          break;
        }
        case 'IFCCOMPLEXPROPERTY':
          if (depth < 8) out.push(...this.properties(step.refs(a[3]), `${full}.`, depth + 1));
          break;
        default:
          this.notRead(entity.type, id);
      }
    }
    return out;
  }

  private quantities(ids: number[], prefix: string, depth: number): IfcPropertyValue[] {
    const out: IfcPropertyValue[] = [];
    for (const id of ids) {
      const entity = this.file.entity(id);
      const name = step.text(entity?.attributes[0]);
      if (!entity || !name) continue;
      const a = entity.attributes;
      const type = QUANTITY_UNIT[entity.type];
      if (entity.type === 'IFCPHYSICALCOMPLEXQUANTITY') {
        if (depth < 8) out.push(...this.quantities(step.refs(a[2]), `${prefix + name}.`, depth + 1));
        continue;
      }
      const value = step.number(a[3]);
      if (type === undefined || value === null) continue;
      if (type === 'COUNT') {
        out.push({ name: prefix + name, value, integer: Number.isInteger(value) });
        continue;
      }
      const own = ownUnit(this.file, a[2]);
      out.push({ name: prefix + name, value: own ? convert(value, own.conversion) : this.units.toSi(type, value), kind: own?.type ?? type });
    }
    return out;
  }

  /** A typed value as a scalar, measures in SI with their kind. */
  private measured(value: StepValue | undefined, unit: StepValue | undefined): { value: Scalar; kind?: UnitType; integer?: boolean } | undefined {
    if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value) || !('type' in value)) {
      const plain = typeof value === 'string' || typeof value === 'number' ? value : undefined;
      return plain === undefined ? undefined : { value: plain };
    }
    const inner = value.value;
    const enumName = step.enumOf(inner);
    if (enumName !== null) {
      if (value.type === 'IFCBOOLEAN' || value.type === 'IFCLOGICAL') {
        if (enumName === 'T') return { value: true };
        if (enumName === 'F') return { value: false };
        return { value: 'Unknown' };
      }
      return { value: enumName };
    }
    if (typeof inner === 'string') return { value: inner };
    if (typeof inner !== 'number' || !Number.isFinite(inner)) return undefined;
    if (value.type === 'IFCINTEGER' || value.type === 'IFCCOUNTMEASURE') return { value: inner, integer: Number.isInteger(inner) };
    const own = ownUnit(this.file, unit);
    if (own) return { value: convert(inner, own.conversion), kind: own.type };
    const type = unitTypeOfMeasure(value.type);
    return type ? { value: this.units.toSi(type, inner), kind: type } : { value: inner };
  }

  /** The materials an IfcRelAssociatesMaterial gives, in the form the file uses. */
  materials(id: number): IfcMaterialUse[] {
    const cached = this.materialCache.get(id);
    if (cached) return cached;
    const entity = this.file.entity(id);
    const a = entity?.attributes ?? [];
    const material = (materialId: number | null) => {
      const m = this.file.entity(materialId ?? 0);
      return m?.type === 'IFCMATERIAL' ? { material: step.text(m.attributes[0]) ?? '(unnamed)', category: step.text(m.attributes[2]) } : undefined;
    };
    const uses: IfcMaterialUse[] = [];
    const use = (m: { material: string; category: string | null } | undefined, rest: Omit<IfcMaterialUse, 'material' | 'category'>) => {
      if (m) uses.push({ ...m, ...rest });
    };
    const none = { set: null, index: null, thickness: null, fraction: null };
    switch (entity?.type) {
      case 'IFCMATERIAL':
        use(material(id), { usage: 'material', ...none });
        break;
      case 'IFCMATERIALLIST':
        step.refs(a[0]).forEach((m, i) => use(material(m), { usage: 'list', ...none, index: i + 1 }));
        break;
      // A set's usage by an element: the set's materials (the usage's first attribute is the set).
      case 'IFCMATERIALLAYERSETUSAGE':
      case 'IFCMATERIALPROFILESETUSAGE':
        uses.push(...this.materials(step.ref(a[0]) ?? 0));
        break;
      case 'IFCMATERIALLAYERSET': {
        const set = step.text(a[1]);
        step.refs(a[0]).forEach((layerId, i) => {
          const layer = this.file.entity(layerId);
          const thickness = step.number(layer?.attributes[1]);
          use(material(step.ref(layer?.attributes[0])), {
            usage: 'layer',
            set,
            index: i + 1,
            thickness: thickness === null ? null : this.units.toSi('LENGTHUNIT', thickness),
            fraction: null,
          });
        });
        break;
      }
      case 'IFCMATERIALPROFILESET': {
        const set = step.text(a[0]);
        step.refs(a[2]).forEach((profileId, i) => {
          const profile = this.file.entity(profileId);
          use(material(step.ref(profile?.attributes[2])), { usage: 'profile', ...none, set, index: i + 1 });
        });
        break;
      }
      case 'IFCMATERIALCONSTITUENTSET': {
        const set = step.text(a[0]);
        step.refs(a[2]).forEach((constituentId, i) => {
          const constituent = this.file.entity(constituentId);
          use(material(step.ref(constituent?.attributes[2])), {
            usage: 'constituent',
            ...none,
            set,
            index: i + 1,
            fraction: step.number(constituent?.attributes[3]),
          });
        });
        break;
      }
      default:
        if (entity) this.notRead(entity.type, id);
    }
    if (!entity?.type.endsWith('USAGE')) this.materialCache.set(id, uses);
    return uses;
  }

  /** A classification reference with its system, walking up references of references. */
  classification(id: number): IfcClassificationReference | undefined {
    const entity = this.file.entity(id);
    if (!entity) return undefined;
    const a = entity.attributes;
    if (entity.type === 'IFCCLASSIFICATION') {
      return { system: step.text(a[3]), edition: step.text(a[1]), identification: null, name: null, location: null };
    }
    if (entity.type === 'IFCCLASSIFICATIONNOTATION') {
      const facets = step
        .refs(a[0])
        .map((f) => step.text(this.file.entity(f)?.attributes[0]))
        .filter((t) => t !== null);
      return { system: null, edition: null, identification: facets.join(' ') || null, name: null, location: null };
    }
    if (entity.type !== 'IFCCLASSIFICATIONREFERENCE') return undefined;
    let source = this.file.entity(step.ref(a[3]) ?? 0);
    for (let depth = 0; source?.type === 'IFCCLASSIFICATIONREFERENCE' && depth < 16; depth++) source = this.file.entity(step.ref(source.attributes[3]) ?? 0);
    const system = source?.type === 'IFCCLASSIFICATION' ? source : undefined;
    return {
      system: step.text(system?.attributes[3]),
      edition: step.text(system?.attributes[1]),
      identification: step.text(a[1]),
      name: step.text(a[2]),
      location: step.text(a[0]),
    };
  }

  private notRead(type: string, id: number): void {
    let ids = this.unsupported.get(type);
    if (!ids) this.unsupported.set(type, (ids = new Set()));
    ids.add(id);
  }

  /** What was skipped so far, as warnings. */
  warnings(): string[] {
    return [...this.unsupported].map(([type, { size }]) => `${size} ${type} ${size === 1 ? 'is' : 'are'} not read (not supported yet).`);
  }
}

const QUANTITY_UNIT: Record<string, UnitType | 'COUNT'> = {
  IFCQUANTITYLENGTH: 'LENGTHUNIT',
  IFCQUANTITYAREA: 'AREAUNIT',
  IFCQUANTITYVOLUME: 'VOLUMEUNIT',
  IFCQUANTITYWEIGHT: 'MASSUNIT',
  IFCQUANTITYTIME: 'TIMEUNIT',
  IFCQUANTITYCOUNT: 'COUNT',
};

function convert(value: number, { factor, offset }: Conversion): number {
  if (factor === 1 && offset === 0) return value;
  return Number.parseFloat((value * factor + offset).toPrecision(15));
}
