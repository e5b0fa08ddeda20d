import type { IModelDb } from '@itwin/core-backend';
import { IFC_SCHEMA_NAME } from './ifc-schema.js';
import { QUANTITY_KINDS } from './ifc-units.js';
import type { IfcPropertySet, IfcPropertyValue, Scalar } from './read-data.js';

/**
 * The iModel's dynamic schema: what an IFC file names, made into EC classes so that iTwin tools
 * show it as they show any domain's data (the property grid groups an element's properties by
 * set, ECSQL selects them by name, with their units):
 * - a class per IFC entity for elements (`TwinsyncIfcDynamic:IfcWall`, derived from
 *   `TwinsyncIfc:IfcElement`) and for type objects (`…:IfcWallType`, from `TwinsyncIfc:IfcType`);
 * - a class per property set or quantity set name (`…:Pset_WallCommon`), an aspect each element
 *   with that set owns once, with one EC property per IFC property, typed (text, number, integer,
 *   yes/no, lists as arrays) and, for measures, with its kind of quantity (values in SI).
 *
 * The schema only grows: each synchronization that meets something new imports the schema again
 * with what it had plus the new classes and properties, under the next minor version (what EC
 * allows without touching existing data). A property keeps the type it was first given; a value
 * of another type goes to a sibling property (`FireRating_Text`), never changes or drops the first.
 */
export const DYNAMIC_SCHEMA_NAME = 'TwinsyncIfcDynamic';

type TypeName = 'string' | 'double' | 'int' | 'boolean';
interface DynamicProperty {
  name: string;
  label: string;
  typeName: TypeName;
  array: boolean;
  kindOfQuantity?: string;
}
interface DynamicClass {
  name: string;
  label: string;
  base: string;
  /** By lower-case name: EC names are unique regardless of case. */
  properties: Map<string, DynamicProperty>;
}

const BASES = {
  element: `${IFC_SCHEMA_NAME}.IfcElement`,
  type: `${IFC_SCHEMA_NAME}.IfcType`,
  properties: `${IFC_SCHEMA_NAME}.IfcPropertySetAspect`,
  quantities: `${IFC_SCHEMA_NAME}.IfcQuantitySetAspect`,
};
/** Names an aspect's own properties cannot take (its base classes' and ECSQL's system properties). */
const RESERVED = new Set(['element', 'id', 'ecinstanceid', 'ecclassid', 'classname', 'jsonproperties']);

interface SchemaJson {
  version?: string;
  items?: Record<
    string,
    {
      schemaItemType?: string;
      label?: string;
      baseClass?: string;
      properties?: { name: string; label?: string; type: string; typeName: string; kindOfQuantity?: string }[];
    }
  >;
}

export class DynamicSchema {
  private readonly classes = new Map<string, DynamicClass>();
  /** Class name per (kind, IFC name): set names and entity names may collide with each other. */
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
      if (item.schemaItemType !== 'EntityClass' || !item.baseClass) continue;
      const base = item.baseClass;
      const cls: DynamicClass = { name, label: item.label ?? name, base, properties: new Map() };
      for (const p of item.properties ?? []) {
        cls.properties.set(p.name.toLowerCase(), {
          name: p.name,
          label: p.label ?? p.name,
          typeName: p.typeName as TypeName,
          array: p.type === 'PrimitiveArrayProperty',
          ...(p.kindOfQuantity && { kindOfQuantity: p.kindOfQuantity.split('.').pop()! }),
        });
      }
      schema.classes.set(name.toLowerCase(), cls);
      const kind = Object.entries(BASES).find(([, b]) => b === base)?.[0] ?? 'other';
      schema.names.set(`${kind}:${cls.label}`, name);
    }
    return schema;
  }

  /** The element class of an IFC entity (`IfcWall`). */
  elementClass(ifcClass: string): string {
    return this.classFor('element', ifcClass).name;
  }

  /** The type class of an IFC type entity (`IfcWallType`). */
  typeClass(ifcClass: string): string {
    return this.classFor('type', ifcClass).name;
  }

  /**
   * The aspect a property or quantity set becomes on one element: its class and its EC property
   * values (registering classes and properties the schema does not have yet).
   */
  aspectOf(set: IfcPropertySet): { classFullName: string; props: Record<string, unknown> } {
    const cls = this.classFor(set.quantities ? 'quantities' : 'properties', set.name);
    const props: Record<string, unknown> = {};
    for (const property of set.properties) {
      for (const [suffix, label, value] of valuesOf(property)) {
        if (value === null) continue;
        const ec = this.propertyFor(cls, property.name + suffix, property.name + label, value, property);
        props[jsName(ec.name)] = ec.typeName === 'string' ? (Array.isArray(value) ? value.map(String) : String(value)) : value;
      }
    }
    return { classFullName: `${DYNAMIC_SCHEMA_NAME}:${cls.name}`, props };
  }

  /** Imports the schema if this synchronization added to it. */
  async save(db: IModelDb): Promise<void> {
    if (!this.changed) return;
    this.minor++;
    await db.importSchemaStrings([this.xml()]);
    this.changed = false;
  }

  private classFor(kind: keyof typeof BASES, ifcName: string): DynamicClass {
    const key = `${kind}:${ifcName}`;
    const known = this.names.get(key);
    if (known) return this.classes.get(known.toLowerCase())!;
    let name = ecName(ifcName);
    if (this.classes.has(name.toLowerCase()))
      name = `${name}_${kind === 'quantities' ? 'Quantities' : kind === 'properties' ? 'Properties' : kind === 'type' ? 'Type' : 'Element'}`;
    for (let n = 2; this.classes.has(name.toLowerCase()); n++) name = `${ecName(ifcName)}_${n}`;
    const cls: DynamicClass = { name, label: ifcName, base: BASES[kind], properties: new Map() };
    this.classes.set(name.toLowerCase(), cls);
    this.names.set(key, name);
    this.changed = true;
    return cls;
  }

  /** The EC property a value goes to: the one named after the IFC property if its type fits, else a typed sibling. */
  private propertyFor(cls: DynamicClass, ifcName: string, label: string, value: Scalar | Scalar[], source: IfcPropertyValue): DynamicProperty {
    const array = Array.isArray(value);
    const wanted = typeNameOf(value, source.integer === true);
    const kindOfQuantity = source.kind ? QUANTITY_KINDS[source.kind].name : undefined;
    const base = ecName(ifcName);
    const candidates = [base, `${base}_${SIBLING[wanted]}${array ? 'List' : ''}`];
    for (const candidate of candidates) {
      const name = RESERVED.has(candidate.toLowerCase()) ? `${candidate}_` : candidate;
      const existing = cls.properties.get(name.toLowerCase());
      if (!existing) {
        const created: DynamicProperty = {
          name,
          label: candidate === base ? label : `${label} (${SIBLING[wanted].toLowerCase()}${array ? ' list' : ''})`,
          typeName: wanted,
          array,
          ...(kindOfQuantity && wanted === 'double' && { kindOfQuantity }),
        };
        cls.properties.set(name.toLowerCase(), created);
        this.changed = true;
        return created;
      }
      if (existing.array === array && fits(existing.typeName, wanted)) return existing;
    }
    // Both taken with other types (a file that keeps changing its mind): the text sibling holds anything.
    const text = `${base}_Text${array ? 'List' : ''}`;
    const existing = cls.properties.get(text.toLowerCase());
    if (existing && existing.typeName === 'string' && existing.array === array) return existing;
    const created: DynamicProperty = { name: `${text}_${cls.properties.size}`, label: `${label} (text)`, typeName: 'string', array };
    cls.properties.set(created.name.toLowerCase(), created);
    this.changed = true;
    return created;
  }

  private xml(): string {
    const lines = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<ECSchema schemaName="${DYNAMIC_SCHEMA_NAME}" alias="tsifcd" version="01.00.${String(this.minor).padStart(2, '0')}" displayLabel="IFC entities and property sets (twinsync)" description="Classes for the IFC entities, type objects, property sets and quantity sets the iModel's IFC files hold; grows as files bring new ones." xmlns="http://www.bentley.com/schemas/Bentley.ECXML.3.2">`,
      '  <ECSchemaReference name="CoreCustomAttributes" version="01.00.04" alias="CoreCA"/>',
      `  <ECSchemaReference name="${IFC_SCHEMA_NAME}" version="01.01.00" alias="tsifc"/>`,
      '  <ECCustomAttributes><DynamicSchema xmlns="CoreCustomAttributes.01.00.04"/></ECCustomAttributes>',
    ];
    for (const cls of this.classes.values()) {
      lines.push(`  <ECEntityClass typeName="${cls.name}" displayLabel="${escapeXml(cls.label)}">`);
      lines.push(`    <BaseClass>tsifc:${cls.base.split('.').pop()}</BaseClass>`);
      for (const p of cls.properties.values()) {
        const koq = p.kindOfQuantity ? ` kindOfQuantity="tsifc:${p.kindOfQuantity}"` : '';
        const tag = p.array ? 'ECArrayProperty' : 'ECProperty';
        lines.push(`    <${tag} propertyName="${p.name}" typeName="${p.typeName}" displayLabel="${escapeXml(p.label)}"${koq}/>`);
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
