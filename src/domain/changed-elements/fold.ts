import { type ElementChange, Opcode, TypeOfChange } from './model.js';

/**
 * The changes of consecutive changesets (oldest first) as one change per element, as if the range
 * were one changeset: what an element was before the first and after the last decides.
 *
 * - inserted, then updated: inserted (as it is at the end)
 * - inserted, then deleted: nothing
 * - updated, then updated: updated, the flags and properties of both (a property's old checksum
 *   from the first change of it, its new one from the last)
 * - updated, then deleted: deleted
 * - deleted, then inserted with the same id (a class change written by an older converter):
 *   updated, with every flag of an element rewritten
 *
 * The order is that of each element's first change.
 */
export function foldChanges(changesets: readonly (readonly ElementChange[])[]): ElementChange[] {
  const folded = new Map<string, ElementChange | null>();
  for (const changes of changesets) {
    for (const next of changes) {
      const id = next.elementId;
      if (!folded.has(id)) {
        folded.set(id, copy(next));
        continue;
      }
      const before = folded.get(id)!;
      folded.set(id, before === null ? copy(next) : combine(before, next));
    }
  }
  return [...folded.values()].filter((c): c is ElementChange => c !== null);
}

function copy(c: ElementChange): ElementChange {
  return { ...c, properties: [...c.properties], oldChecksums: [...c.oldChecksums], newChecksums: [...c.newChecksums] };
}

/** One element's change so far, then its next one. Null: nothing is left of it (inserted, then deleted). */
function combine(before: ElementChange, next: ElementChange): ElementChange | null {
  const latest = { classId: next.classId, modelId: next.modelId, parentId: next.parentId, parentClassId: next.parentClassId };
  if (before.opcode === Opcode.Inserted) {
    if (next.opcode === Opcode.Deleted) return null;
    // Still an insertion, as the element is now.
    return { ...before, ...latest };
  }
  if (before.opcode === Opcode.Updated) {
    if (next.opcode === Opcode.Deleted) return copy(next);
    if (next.opcode === Opcode.Inserted) return { ...copy(next), opcode: Opcode.Updated, type: rewritten() };
    return { ...mergeProperties(before, next), ...latest, type: before.type | next.type };
  }
  // Deleted before: an insertion with the same id brings it back, changed.
  if (next.opcode === Opcode.Inserted) return { ...copy(next), opcode: Opcode.Updated, type: rewritten() };
  return copy(next);
}

function rewritten(): number {
  return TypeOfChange.Property | TypeOfChange.Geometry | TypeOfChange.Placement;
}

function mergeProperties(before: ElementChange, next: ElementChange): ElementChange {
  const merged = copy(before);
  next.properties.forEach((name, i) => {
    const at = merged.properties.indexOf(name);
    if (at < 0) {
      merged.properties.push(name);
      merged.oldChecksums.push(next.oldChecksums[i] ?? 0);
      merged.newChecksums.push(next.newChecksums[i] ?? 0);
    } else merged.newChecksums[at] = next.newChecksums[i] ?? 0;
  });
  return merged;
}
