import type { IModelDb } from '@itwin/core-backend';
import { IFC_SCHEMA_NAME } from './ifc-schema.js';
import { QUANTITY_KINDS } from './ifc-units.js';
import type { IfcPropertySet, IfcPropertyValue, Scalar } from './read-data.js';

/**
 * The iModel's dynamic schema: what an IFC file names, made into EC classes so that iTwin tools
 * show it as they show any domain's data:
 * - a class per IFC entity: elements (`TwinsyncIfcDynamic:IfcWall`, derived from
 *   `TwinsyncIfc:IfcElement`), type objects (`…:IfcWallType`, from `TwinsyncIfc:IfcType`) and
 *   spatial elements (`…:IfcSpace`, from `TwinsyncIfc:IfcSpace`; `…:IfcRoad` from `TwinsyncIfc:IfcFacility`);
 * - on each class, one EC property per property of each property set or quantity set its
 *   instances carry, named `<set>__<property>` (`Pset_WallCommon__FireRating`), labelled with the
 *   IFC property's name and put in a property category named after the set, so that the property
 *   grid groups an element's properties by set; typed (text, number, integer, yes/no, lists as
 *   arrays) and, for measures, with its kind of quantity (values in SI).
 *
 * Properties rather than an aspect per set: an aspect is one more row to insert per set and element
 * (a third of a conversion's time on files with a few sets per element), a property is a value in
 * the element's own row.
 *
 * The schema only grows: each synchronization that meets something new imports the schema again
 * with what it had plus the new classes, categories and properties, under the next minor version
 * (what EC allows without touching existing data). A property keeps the type it was first given; a
 * value of another type goes to a sibling property (`…__Anchors_Text`), never changes or drops the first.
 */
export const DYNAMIC_SCHEMA_NAME = 'TwinsyncIfcDynamic';

type TypeName = 'string' | 'double' | 'int' | 'boolean';
interface DynamicProperty {
  name: string;
  label: string;
  typeName: TypeName;
  array: boolean;
  kindOfQuantity?: string;
  category?: string;
}
interface DynamicClass {
  name: string;
  label: string;
  /** Full name of its base class, `Schema.Class`. */
  base: string;
  /** By lower-case name: EC names are unique regardless of case. */
  properties: Map<string, DynamicProperty>;
}
interface DynamicCategory {
  name: string;
  label: string;
}

const BASES = {
  element: `${IFC_SCHEMA_NAME}.IfcElement`,
  type: `${IFC_SCHEMA_NAME}.IfcType`,
};

interface SchemaJson {
  version?: string;
  items?: Record<
    string,
    {
      schemaItemType?: string;
      label?: string;
      baseClass?: string;
      properties?: { name: string; label?: string; type: string; typeName: string; kindOfQuantity?: string; category?: string }[];
    }
  >;
}

export class DynamicSchema {
  /** Classes and categories share one name space in a schema: both are here by lower-case name. */
  private readonly items = new Map<string, DynamicClass | DynamicCategory>();
  /** Item name per (kind, IFC name): set names and entity names may collide with each other. */
  private readonly names = new Map<string, string>();
  private changed = false;
  private minor = 0;

  /** The dynamic schema as the iModel holds it (empty when it holds none yet). */
  static load(db: IModelDb): DynamicSchema {
    const schema = new DynamicSchema();
    if (db.querySchemaVersion(DYNAMIC_SCHEMA_NAME) === undefined) return schema;
    const json = db.getSchemaProps(DYNAMIC_SCHEMA_NAME) as unknown as SchemaJson;
    schema.minor = Number(json.version?.split('.')[2] ?? 0);
    for (const [name, item] of Object.entries(json.items ?? {})) {
      const label = item.label ?? name;
      if (item.schemaItemType === 'PropertyCategory') {
        schema.items.set(name.toLowerCase(), { name, label });
        schema.names.set(`category:${label}`, name);
        continue;
      }
      if (item.schemaItemType !== 'EntityClass' || !item.baseClass) continue;
      const cls: DynamicClass = { name, label, base: item.baseClass, properties: new Map() };
      for (const p of item.properties ?? []) {
        cls.properties.set(p.name.toLowerCase(), {
          name: p.name,
          label: p.label ?? p.name,
          typeName: p.typeName as TypeName,
          array: p.type === 'PrimitiveArrayProperty',
          ...(p.kindOfQuantity && { kindOfQuantity: p.kindOfQuantity.split('.').pop()! }),
          ...(p.category && { category: p.category.split('.').pop()! }),
        });
      }
      schema.items.set(name.toLowerCase(), cls);
      schema.names.set(`class:${cls.base}:${label}`, name);
    }
    return schema;
  }

  /** The element class of an IFC entity (`IfcWall`), full name. */
  elementClass(ifcClass: string): string {
    return this.fullName(this.classFor(BASES.element, ifcClass));
  }

  /** The type class of an IFC type entity (`IfcWallType`), full name. */
  typeClass(ifcClass: string): string {
    return this.fullName(this.classFor(BASES.type, ifcClass));
  }

  /** The class of a spatial element's IFC entity, derived from its fixed class (`TwinsyncIfc:IfcSpace`), full name. */
  spatialClass(ifcClass: string, fixedClass: string): string {
    return this.fullName(this.classFor(fixedClass.replace(':', '.'), ifcClass));
  }

  /**
   * The EC property values the property and quantity sets of an instance of this class (as
   * `elementClass`, `typeClass` or `spatialClass` named it) become, registering what the schema
   * does not have yet.
   */
  propertiesOf(classFullName: string, sets: readonly IfcPropertySet[]): Record<string, unknown> {
    const cls = this.items.get(classFullName.split(':').pop()!.toLowerCase()) as DynamicClass;
    const props: Record<string, unknown> = {};
    for (const set of sets) {
      const category = this.categoryFor(set);
      for (const property of set.properties) {
        for (const [suffix, label, value] of valuesOf(property)) {
          if (value === null) continue;
          const ec = this.propertyFor(cls, `${ecName(set.name)}__${ecName(property.name)}${suffix}`, property.name + label, value, property, category.name);
          props[jsName(ec.name)] = ec.typeName === 'string' ? (Array.isArray(value) ? value.map(String) : String(value)) : value;
        }
      }
    }
    return props;
  }

  /**
   * Nulls for the class's properties these props do not set: an update leaves out of the element
   * what its IFC entity no longer has (a property removed from a set, a set removed).
   */
  cleared(classFullName: string, props: Record<string, unknown>): Record<string, null> {
    const cls = this.items.get(classFullName.split(':').pop()!.toLowerCase());
    const cleared: Record<string, null> = {};
    if (cls && 'properties' in cls) for (const p of cls.properties.values()) if (!(jsName(p.name) in props)) cleared[jsName(p.name)] = null;
    return cleared;
  }

  /** Imports the schema if this synchronization added to it. */
  async save(db: IModelDb): Promise<void> {
    if (!this.changed) return;
    this.minor++;
    await db.importSchemaStrings([this.xml()]);
    this.changed = false;
  }

  private fullName(cls: DynamicClass): string {
    return `${DYNAMIC_SCHEMA_NAME}:${cls.name}`;
  }

  /** A schema item name nothing else in the schema has (regardless of case). */
  private freeName(wanted: string, suffix: string): string {
    let name = wanted;
    if (this.items.has(name.toLowerCase())) name = `${wanted}_${suffix}`;
    for (let n = 2; this.items.has(name.toLowerCase()); n++) name = `${wanted}_${suffix}${n}`;
    return name;
  }

  private classFor(base: string, ifcName: string): DynamicClass {
    const key = `class:${base}:${ifcName}`;
    const known = this.names.get(key);
    if (known) return this.items.get(known.toLowerCase()) as DynamicClass;
    const name = this.freeName(ecName(ifcName), base.split('.').pop()!);
    const cls: DynamicClass = { name, label: ifcName, base, properties: new Map() };
    this.items.set(name.toLowerCase(), cls);
    this.names.set(key, name);
    this.changed = true;
    return cls;
  }

  private categoryFor(set: IfcPropertySet): DynamicCategory {
    const key = `category:${set.name}`;
    const known = this.names.get(key);
    if (known) return this.items.get(known.toLowerCase()) as DynamicCategory;
    const category: DynamicCategory = { name: this.freeName(ecName(set.name), 'Set'), label: set.name };
    this.items.set(category.name.toLowerCase(), category);
    this.names.set(key, category.name);
    this.changed = true;
    return category;
  }

  /** The EC property a value goes to: the one named after the IFC property if its type fits, else a typed sibling. */
  private propertyFor(cls: DynamicClass, name: string, label: string, value: Scalar | Scalar[], source: IfcPropertyValue, category: string): DynamicProperty {
    const array = Array.isArray(value);
    const wanted = typeNameOf(value, source.integer === true);
    const kindOfQuantity = source.kind && wanted === 'double' ? QUANTITY_KINDS[source.kind].name : undefined;
    // Two IFC names that differ only in case ('Width', 'WIDTH') are two properties.
    let base = name;
    for (let n = 2; ; n++) {
      const taken = cls.properties.get(base.toLowerCase());
      if (!taken || taken.label.toLowerCase() !== label.toLowerCase() || taken.label === label) break;
      base = `${name}_${n}`;
    }
    // The sibling is named after the type, or for a measure of another kind, after its kind (`Size_Area`).
    const sibling = kindOfQuantity ?? SIBLING[wanted];
    const candidates = [base, `${base}_${sibling}${array ? 'List' : ''}`];
    for (const candidate of candidates) {
      const existing = cls.properties.get(candidate.toLowerCase());
      if (!existing) {
        const created: DynamicProperty = {
          name: candidate,
          label: candidate === base ? label : `${label} (${sibling.toLowerCase()}${array ? ' list' : ''})`,
          typeName: wanted,
          array,
          category,
          ...(kindOfQuantity && { kindOfQuantity }),
        };
        cls.properties.set(candidate.toLowerCase(), created);
        this.changed = true;
        return created;
      }
      if (existing.array === array && fits(existing.typeName, wanted) && (existing.typeName === 'string' || existing.kindOfQuantity === kindOfQuantity)) {
        return existing;
      }
    }
    // Both taken with other types (a file that keeps changing its mind): a text sibling holds anything.
    const text = `${base}_Text${array ? 'List' : ''}`;
    const existing = cls.properties.get(text.toLowerCase());
    if (existing && existing.typeName === 'string' && existing.array === array) return existing;
    const created: DynamicProperty = { name: `${text}_${cls.properties.size}`, label: `${label} (text)`, typeName: 'string', array, category };
    cls.properties.set(created.name.toLowerCase(), created);
    this.changed = true;
    return created;
  }

  private xml(): string {
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<ECSchema schemaName="${DYNAMIC_SCHEMA_NAME}" alias="tsifcd" version="01.00.${String(this.minor).padStart(2, '0')}" displayLabel="IFC entities and property sets (twinsync)" description="Classes for the IFC entities the iModel's IFC files hold, with their property and quantity sets as properties; grows as files bring new ones." xmlns="http://www.bentley.com/schemas/Bentley.ECXML.3.2">`,
      '  <ECSchemaReference name="CoreCustomAttributes" version="01.00.04" alias="CoreCA"/>',
      `  <ECSchemaReference name="${IFC_SCHEMA_NAME}" version="01.01.00" alias="tsifc"/>`,
      '  <ECCustomAttributes><DynamicSchema xmlns="CoreCustomAttributes.01.00.04"/></ECCustomAttributes>',
    ];
    for (const item of this.items.values()) {
      if (!('base' in item)) {
        lines.push(`  <PropertyCategory typeName="${item.name}" displayLabel="${escapeXml(item.label)}" priority="0"/>`);
        continue;
      }
      lines.push(`  <ECEntityClass typeName="${item.name}" displayLabel="${escapeXml(item.label)}">`);
      lines.push(`    <BaseClass>tsifc:${item.base.split('.').pop()}</BaseClass>`);
      for (const p of item.properties.values()) {
        const koq = p.kindOfQuantity ? ` kindOfQuantity="tsifc:${p.kindOfQuantity}"` : '';
        const category = p.category ? ` category="${p.category}"` : '';
        const tag = p.array ? 'ECArrayProperty' : 'ECProperty';
        lines.push(`    <${tag} propertyName="${p.name}" typeName="${p.typeName}" displayLabel="${escapeXml(p.label)}"${koq}${category}/>`);
      }
      lines.push('  </ECEntityClass>');
    }
    lines.push('</ECSchema>');
    return lines.join('\n');
  }
}

const SIBLING: Record<TypeName, string> = { string: 'Text', double: 'Number', int: 'Integer', boolean: 'Boolean' };

/** A number fits a double property; anything fits a text one. */
function fits(existing: TypeName, wanted: TypeName): boolean {
  return existing === wanted || existing === 'string' || (existing === 'double' && wanted === 'int');
}

function typeNameOf(value: Scalar | Scalar[], integer: boolean): TypeName {
  const items = Array.isArray(value) ? value : [value];
  if (items.length > 0 && items.every((v) => typeof v === 'boolean')) return 'boolean';
  if (items.length > 0 && items.every((v) => typeof v === 'number')) {
    return integer && items.every((v) => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31) ? 'int' : 'double';
  }
  return 'string';
}

/** The EC values one IFC property gives: itself; a bounded value's bounds; a table as text. */
function valuesOf(property: IfcPropertyValue): [string, string, Scalar | Scalar[] | null][] {
  const v = property.value;
  if (typeof v !== 'object' || Array.isArray(v)) return [['', '', v]];
  if ('table' in v) {
    return [['', '', v.table.map(([a, b]) => `${a ?? ''} → ${b ?? ''}`).join('; ')]];
  }
  return [
    ['_LowerBound', ' (lower bound)', v.lower ?? null],
    ['_UpperBound', ' (upper bound)', v.upper ?? null],
    ['_SetPoint', ' (set point)', v.setPoint ?? null],
  ];
}

/**
 * A valid EC name for any IFC name: letters, digits and underscores stay, anything else becomes
 * `__xHHHH__` (its UTF-16 code), as EC encodes names; a leading digit is encoded the same way.
 */
export function ecName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    const ok = /[A-Za-z_]/.test(c) || (i > 0 && /[0-9]/.test(c));
    out += ok ? c : `__x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}__`;
  }
  return out || '_';
}

/** The name iTwin.js gives an EC property in element and aspect props: its first letter lower case. */
export function jsName(ecPropertyName: string): string {
  return ecPropertyName[0]!.toLowerCase() + ecPropertyName.slice(1);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
