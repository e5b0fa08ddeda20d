import type { IModelDb } from '@itwin/core-backend';
import type { ElementProperty } from '../domain/model-view/model.js';
import { navId, type Row, rows, text } from './ecsql.js';

/** One EC property of a class, with what its presentation needs. */
interface PropertyDef {
  name: string;
  label: string;
  group: string;
  unit?: string;
  navigation: boolean;
}

/** A class as the details present it: its name, label and the properties it shows. */
export interface ClassDef {
  id: string;
  fullName: string;
  label: string | null;
  /** Whether BisCore defines it (BisCore's aspects are provenance, not properties). */
  bisCore: boolean;
  properties: PropertyDef[];
}

// meta.ECPropertyDef's Kind and PrimitiveType (ECObjects' numbering).
const NAVIGATION_KIND = 4;
const BINARY = 257;
const IGEOMETRY = 2561;

/**
 * Reads EC classes' metadata from the iModel's own schema tables (meta.*, plain ECSQL) once per
 * class: every property the class has, inherited ones included, except BisCore's (an element's
 * code, label, category, model, placement and geometry are its own fields in the details, or not
 * for people) and binary or geometry values. Each property is labelled and grouped as iTwin.js's
 * property grid does it: by its property category (the IFC connector gives each property set one,
 * docs/connectors.md) or else by the class that defines it; measured values get their unit's label.
 */
export class ClassCatalog {
  private readonly classes = new Map<string, ClassDef>();
  private units?: Map<string, string>;

  constructor(private readonly db: IModelDb) {}

  async get(classId: string): Promise<ClassDef> {
    let found = this.classes.get(classId);
    if (!found) {
      found = await this.read(classId);
      this.classes.set(classId, found);
    }
    return found;
  }

  private async read(classId: string): Promise<ClassDef> {
    const [cls] = await rows(
      this.db,
      `SELECT s.Name schemaName, c.Name name, c.DisplayLabel label FROM meta.ECClassDef c JOIN meta.ECSchemaDef s ON s.ECInstanceId = c.Schema.Id WHERE c.ECInstanceId = ?`,
      [classId],
    );
    if (!cls) throw new Error(`The iModel has no class ${classId}`);
    const units = await this.unitLabels();
    const defs = await rows(
      this.db,
      `SELECT p.Name name, p.DisplayLabel label, p.Kind kind, p.PrimitiveType primitiveType, c.DisplayLabel classLabel, c.Name className,
              cat.DisplayLabel categoryLabel, cat.Name categoryName, k.PersistenceUnit unit
         FROM meta.ClassHasAllBaseClasses b
         JOIN meta.ECPropertyDef p ON p.Class.Id = b.TargetECInstanceId
         JOIN meta.ECClassDef c ON c.ECInstanceId = p.Class.Id
         JOIN meta.ECSchemaDef s ON s.ECInstanceId = c.Schema.Id
         LEFT JOIN meta.PropertyCategoryDef cat ON cat.ECInstanceId = p.Category.Id
         LEFT JOIN meta.KindOfQuantityDef k ON k.ECInstanceId = p.KindOfQuantity.Id
        WHERE b.SourceECInstanceId = ? AND s.Name <> 'BisCore'
        ORDER BY c.ECInstanceId, p.Ordinal`,
      [classId],
    );
    const properties: PropertyDef[] = [];
    const seen = new Set<string>();
    for (const d of defs) {
      const name = d.name as string;
      if (seen.has(name) || d.primitiveType === BINARY || d.primitiveType === IGEOMETRY) continue;
      seen.add(name);
      const unitName = text(d.unit)?.split(':').pop();
      const unit = unitName ? units.get(unitName) : undefined;
      properties.push({
        name,
        label: text(d.label) ?? name,
        group: text(d.categoryLabel) ?? text(d.categoryName) ?? text(d.classLabel) ?? (d.className as string),
        ...(unit !== undefined && { unit }),
        navigation: d.kind === NAVIGATION_KIND,
      });
    }
    return {
      id: classId,
      fullName: `${cls.schemaName}:${cls.name}`,
      label: text(cls.label),
      bisCore: cls.schemaName === 'BisCore',
      properties,
    };
  }

  /** Units' display labels by name (`W_PER_SQ_M_K` → `W/(m²·ΔK)`). */
  private async unitLabels(): Promise<Map<string, string>> {
    if (!this.units) {
      this.units = new Map();
      for (const r of await rows(this.db, 'SELECT Name name, DisplayLabel label FROM meta.UnitDef')) {
        const label = text(r.label);
        if (label) this.units.set(r.name as string, label);
      }
    }
    return this.units;
  }
}

/**
 * The rows of the instances of exactly this class (not of its subclasses) with the properties the
 * class shows, by id; `wanted` keeps only those ids. One query per class, whatever the number of
 * elements: an element costs no statement of its own. `extra` columns are read too (`Element`, for aspects).
 */
export async function readInstances(db: IModelDb, cls: ClassDef, wanted: (id: string) => boolean, extra: readonly string[] = []): Promise<Map<string, Row>> {
  const [schema, name] = cls.fullName.split(':');
  const columns = ['ECInstanceId', ...extra, ...cls.properties.map((p) => p.name)].map((c) => `[${c}]`).join(', ');
  const found = new Map<string, Row>();
  for (const row of await rows(db, `SELECT ${columns} FROM ONLY [${schema}].[${name}] ORDER BY ECInstanceId`)) {
    const id = row.ECInstanceId as string;
    if (wanted(id)) found.set(id, row);
  }
  return found;
}

/**
 * A row's property values as the details list them: those with a value, in the class's order; a
 * navigation property as its target's name (and id).
 */
export function propertiesOf(cls: ClassDef, row: Row, names: ReadonlyMap<string, { name: string | null }>): ElementProperty[] {
  const out: ElementProperty[] = [];
  for (const p of cls.properties) {
    const value = row[p.name];
    if (value === undefined || value === null) continue;
    const base = { group: p.group, name: p.name, label: p.label, ...(p.unit !== undefined && { unit: p.unit }) };
    if (p.navigation) {
      const target = navId(value);
      if (target) out.push({ ...base, value: names.get(target)?.name ?? target, elementId: target });
    } else {
      out.push({ ...base, value });
    }
  }
  return out;
}
