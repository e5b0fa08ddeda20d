/**
 * What changed between versions, element by element (the Changed Elements API). A synchronization
 * task records the elements its changeset inserted, updated and deleted; a comparison folds those
 * records over a range of changesets. Ids are the iModel's Id64 strings (hexadecimal, "0x…"); "0"
 * where there is none (an element without a parent).
 */

/** The documented opcodes (iTwin.js's DbOpcode). */
export const Opcode = { Deleted: 9, Inserted: 18, Updated: 23 } as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/** The documented bit flags of `type` (iTwin.js's TypeOfChange). */
export const TypeOfChange = { NoChange: 0, Property: 1, Geometry: 2, Placement: 4, Indirect: 8, Hidden: 16 } as const;

/** One element's change in one changeset, or over a range once folded. */
export interface ElementChange {
  elementId: string;
  classId: string;
  opcode: Opcode;
  /** TypeOfChange flags: what of an updated element changed (0 for inserted and deleted ones). */
  type: number;
  modelId: string;
  parentId: string;
  parentClassId: string;
  /** Names of the properties that changed (updates only), each with its value's checksum before and after. */
  properties: string[];
  oldChecksums: number[];
  newChecksums: number[];
}

/** The API's `changedElements`: parallel arrays, one index per element. */
export interface ChangedElements {
  elements: string[];
  classIds: string[];
  opcodes: number[];
  type: number[];
  modelIds: string[];
  parentIds: string[];
  parentClassIds: string[];
  properties: string[][];
  oldChecksums: number[][];
  newChecksums: number[][];
}

export function emptyChangedElements(): ChangedElements {
  return {
    elements: [],
    classIds: [],
    opcodes: [],
    type: [],
    modelIds: [],
    parentIds: [],
    parentClassIds: [],
    properties: [],
    oldChecksums: [],
    newChecksums: [],
  };
}

/** A list of changes as the API's parallel arrays. */
export function toChangedElements(changes: readonly ElementChange[]): ChangedElements {
  const out = emptyChangedElements();
  for (const c of changes) {
    out.elements.push(c.elementId);
    out.classIds.push(c.classId);
    out.opcodes.push(c.opcode);
    out.type.push(c.type);
    out.modelIds.push(c.modelId);
    out.parentIds.push(c.parentId);
    out.parentClassIds.push(c.parentClassId);
    out.properties.push(c.properties);
    out.oldChecksums.push(c.oldChecksums);
    out.newChecksums.push(c.newChecksums);
  }
  return out;
}

/**
 * The parallel arrays back as a list, checked: what a blob holds is read by this process, but
 * written by a connector's program; a record that does not have this shape is refused, not served.
 */
export function fromChangedElements(value: unknown): ElementChange[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const strings = (a: unknown): a is string[] => Array.isArray(a) && a.every((s) => typeof s === 'string');
  const numbers = (a: unknown): a is number[] => Array.isArray(a) && a.every((n) => typeof n === 'number');
  const { elements, classIds, opcodes, type, modelIds, parentIds, parentClassIds, properties, oldChecksums, newChecksums } = v;
  if (!strings(elements) || !strings(classIds) || !numbers(opcodes) || !numbers(type) || !strings(modelIds) || !strings(parentIds)) return undefined;
  if (!strings(parentClassIds) || !Array.isArray(properties) || !Array.isArray(oldChecksums) || !Array.isArray(newChecksums)) return undefined;
  const n = elements.length;
  for (const a of [classIds, opcodes, type, modelIds, parentIds, parentClassIds, properties, oldChecksums, newChecksums]) if (a.length !== n) return undefined;
  const changes: ElementChange[] = [];
  for (let i = 0; i < n; i++) {
    const opcode = opcodes[i];
    if (opcode !== Opcode.Inserted && opcode !== Opcode.Updated && opcode !== Opcode.Deleted) return undefined;
    const props = properties[i];
    const olds = oldChecksums[i];
    const news = newChecksums[i];
    if (!strings(props) || !numbers(olds) || !numbers(news)) return undefined;
    changes.push({
      elementId: elements[i]!,
      classId: classIds[i]!,
      opcode,
      type: type[i]!,
      modelId: modelIds[i]!,
      parentId: parentIds[i]!,
      parentClassId: parentClassIds[i]!,
      properties: props,
      oldChecksums: olds,
      newChecksums: news,
    });
  }
  return changes;
}

/** Where a changeset's element changes are kept in the blob store: one blob per task attempt that completed. */
export function elementChangesKey(iModelId: string, id: string): string {
  return `imodels/${iModelId}/changed-elements/${id}.json`;
}
