import { createHash } from 'node:crypto';
import type { IModelDb } from '@itwin/core-backend';
import { DbResult, type Id64String } from '@itwin/core-bentley';
import type { ElementProps } from '@itwin/core-common';
import { type ElementChange, Opcode, TypeOfChange } from '../../domain/changed-elements/model.js';

/**
 * The element changes of one synchronization (docs/changed-elements.md), recorded as the sync
 * writes: what it inserted, updated in place and deleted, with each element's ECClass id, model and
 * parent as the iModel has them, and for an update what of it changed. Everything comes from props
 * the sync holds anyway (the element it writes, the element it read before updating or deleting):
 * no query of its own beyond one class id per class and one class per parent.
 */
export class ElementChanges {
  private readonly changes: ElementChange[] = [];
  private readonly classIds = new Map<string, string>();
  private readonly parentClasses = new Map<string, string>();

  constructor(private readonly db: IModelDb) {}

  inserted(elementId: Id64String, props: ElementProps): void {
    this.changes.push({ ...this.place(elementId, props), opcode: Opcode.Inserted, type: TypeOfChange.NoChange, ...noProperties() });
  }

  /**
   * An element updated in place: `before` as read before the update, `after` as read after it (both
   * with their geometry, so that both sides are spelled alike). Properties whose values differ are named with their checksums;
   * placement and geometry are flags. An element whose own props are all the same changed through
   * its data aspects (property sets): an indirect change.
   */
  updated(elementId: Id64String, before: ElementProps, after: ElementProps): void {
    const b = before as unknown as Record<string, unknown>;
    const a = after as unknown as Record<string, unknown>;
    const properties: string[] = [];
    const oldChecksums: number[] = [];
    const newChecksums: number[] = [];
    let type = 0;
    for (const name of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (NOT_PROPERTIES.has(name)) continue;
      const was = checksum(b[name]);
      const is = checksum(a[name]);
      if (was === is) continue;
      properties.push(name);
      oldChecksums.push(was);
      newChecksums.push(is);
    }
    if (properties.length > 0) type |= TypeOfChange.Property;
    if (checksum(placed(b.placement)) !== checksum(placed(a.placement))) type |= TypeOfChange.Placement;
    if (checksum(b.geom) !== checksum(a.geom)) type |= TypeOfChange.Geometry;
    if (type === 0) type = TypeOfChange.Indirect;
    this.changes.push({ ...this.place(elementId, after), opcode: Opcode.Updated, type, properties, oldChecksums, newChecksums });
  }

  /** An element about to be deleted, as it was read before. */
  deleted(elementId: Id64String, before: ElementProps): void {
    this.changes.push({ ...this.place(elementId, before), opcode: Opcode.Deleted, type: TypeOfChange.NoChange, ...noProperties() });
  }

  list(): ElementChange[] {
    return this.changes;
  }

  private place(elementId: Id64String, props: ElementProps) {
    const parentId = props.parent?.id && props.parent.id !== '0' ? props.parent.id : '0';
    return {
      elementId,
      classId: this.classId(props.classFullName),
      modelId: props.model,
      parentId,
      parentClassId: parentId === '0' ? '0' : this.parentClassId(parentId),
    };
  }

  /** The ECClass id of "Schema:Class" (or "Schema.Class"), read once per class from the iModel's EC tables. */
  private classId(classFullName: string): string {
    let id = this.classIds.get(classFullName);
    if (id === undefined) {
      const [schema, name] = classFullName.split(/[:.]/);
      id = this.db.withPreparedSqliteStatement(
        'SELECT c.Id FROM ec_Class c JOIN ec_Schema s ON s.Id = c.SchemaId WHERE s.Name = ? COLLATE NOCASE AND c.Name = ? COLLATE NOCASE',
        (stmt) => {
          stmt.bindString(1, schema ?? '');
          stmt.bindString(2, name ?? '');
          return stmt.step() === DbResult.BE_SQLITE_ROW ? stmt.getValueId(0) : '0';
        },
      );
      this.classIds.set(classFullName, id);
    }
    return id;
  }

  private parentClassId(parentId: Id64String): string {
    let id = this.parentClasses.get(parentId);
    if (id === undefined) {
      const parent = this.db.elements.tryGetElementProps(parentId);
      id = parent ? this.classId(parent.classFullName) : '0';
      this.parentClasses.set(parentId, id);
    }
    return id;
  }
}

/** What an element's props hold that is not one of its properties (or is reported as a flag instead). */
const NOT_PROPERTIES = new Set(['id', 'classFullName', 'model', 'geom', 'placement', 'elementGeometryBuilderParams', 'isInstanceOfEntity']);

/** Where an element stands (origin and angles): its range box follows its geometry, which has a flag of its own. */
function placed(placement: unknown): unknown {
  if (typeof placement !== 'object' || placement === null) return placement;
  const { bbox: _, ...rest } = placement as Record<string, unknown>;
  return rest;
}

function noProperties() {
  return { properties: [], oldChecksums: [], newChecksums: [] };
}

/** A property value's checksum: 32 bits of the SHA-1 of its canonical JSON. */
function checksum(value: unknown): number {
  return createHash('sha1').update(canonical(value)).digest().readUInt32BE(0);
}

/**
 * JSON with object keys sorted, and every kind of nothing (absent, null, '', {}, []) alike: an
 * element read back from the iModel leaves out what the props it was written from spelled empty.
 */
function canonical(value: unknown): string {
  if (value === undefined || value === null || value === '') return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'null' : `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, canonical(v)] as const)
      .filter(([, v]) => v !== 'null')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries.length === 0 ? 'null' : `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
