import type { IModelDb } from '@itwin/core-backend';
import type { Id64String } from '@itwin/core-bentley';
import { QueryBinder } from '@itwin/core-common';
import { IFC_SCHEMA_NAME, REFERENCES_RELATIONSHIP } from './ifc-schema.js';
import type { IfcReference } from './read-ifc.js';
import type { ConversionWarning } from './warnings.js';

/**
 * Makes the references of a source file's spatial elements in the iModel (rows of
 * TwinsyncIfc:SpatialStructureReferencesElements between elements of its physical model) what the
 * file says now: rows it no longer has are deleted, new ones inserted, the others left alone.
 * Returns the referenced elements whose references changed.
 *
 * Compared with what the iModel holds, rather than written with each element as it is inserted or
 * updated (as containment, a property of the element, is), because:
 * - an iModel written before the relationship existed gets its references at its next
 *   synchronization without every element being rewritten (their checksums do not change);
 * - a spatial element replaced by one of another class (a new element id) takes its rows with it
 *   (BisCore deletes an element's ElementRefersToElements rows with it), and they come back here;
 * - a spatial element may reference another spatial element written after it.
 *
 * @param wanted referenced element → the spatial elements that reference it, by element id.
 */
export async function syncSpatialReferences(
  db: IModelDb,
  modelId: Id64String,
  wanted: ReadonlyMap<Id64String, ReadonlySet<Id64String>>,
): Promise<Set<Id64String>> {
  const changed = new Set<Id64String>();
  const missing = new Map<Id64String, Set<Id64String>>([...wanted].map(([target, sources]) => [target, new Set(sources)]));
  // iTwin.js's queries run on a connection of their own and see only what is saved: without this
  // they would still list the rows that this sync's deletions took away with their elements. The
  // version is a temporary file until it is renamed into place (write-imodel.ts), so saving midway
  // publishes nothing.
  db.saveChanges();
  const reader = db.createQueryReader(
    `SELECT r.ECInstanceId, r.SourceECInstanceId, r.TargetECInstanceId
       FROM ${IFC_SCHEMA_NAME}.SpatialStructureReferencesElements r
       JOIN BisCore.Element t ON t.ECInstanceId = r.TargetECInstanceId
      WHERE t.Model.Id = ?`,
    QueryBinder.from([modelId]),
  );
  const gone: { id: Id64String; sourceId: Id64String; targetId: Id64String }[] = [];
  for await (const row of reader) {
    const [id, sourceId, targetId] = [row[0] as Id64String, row[1] as Id64String, row[2] as Id64String];
    if (missing.get(targetId)?.delete(sourceId)) continue;
    gone.push({ id, sourceId, targetId });
  }
  for (const row of gone) {
    db.relationships.deleteInstance({ ...row, classFullName: REFERENCES_RELATIONSHIP });
    changed.add(row.targetId);
  }
  for (const [targetId, sources] of missing) {
    for (const sourceId of sources) {
      db.relationships.insertInstance({ classFullName: REFERENCES_RELATIONSHIP, sourceId, targetId });
      changed.add(targetId);
    }
  }
  return changed;
}

/**
 * The references the file asks for, by element id, from what the sync wrote (`elementOf`: STEP id
 * → element id), and a warning for those that point at an entity that is not an element of the
 * iModel: an IfcGroup (IFC4 lets zones and systems be referenced; groups are not converted), an
 * entity the converter leaves out (grids, annotations, openings). Products left out for want of
 * triangles and ids the file does not define are not named again: their own warnings say so
 * (ProductWithoutTriangles, DanglingReference).
 */
export function wantedReferences(
  references: readonly IfcReference[],
  elementOf: ReadonlyMap<number, Id64String>,
  leftOut: ReadonlySet<number>,
): { wanted: Map<Id64String, Set<Id64String>>; warning?: ConversionWarning } {
  const wanted = new Map<Id64String, Set<Id64String>>();
  const notConverted = new Map<string, number>();
  const ids: number[] = [];
  let count = 0;
  for (const { entityId, ifcClass, structureIds } of references) {
    const target = elementOf.get(entityId);
    if (target === undefined) {
      if (leftOut.has(entityId) || ifcClass === null) continue;
      notConverted.set(ifcClass, (notConverted.get(ifcClass) ?? 0) + structureIds.length);
      count += structureIds.length;
      ids.push(entityId);
      continue;
    }
    for (const structureId of structureIds) {
      const source = elementOf.get(structureId);
      if (source === undefined) continue;
      let sources = wanted.get(target);
      if (!sources) wanted.set(target, (sources = new Set()));
      sources.add(source);
    }
  }
  if (count === 0) return { wanted };
  const classes = [...notConverted].map(([name, n]) => `${name} ×${n}`).join(', ');
  const message = `${count} ${count === 1 ? 'reference' : 'references'} of spatial structure elements (IfcRelReferencedInSpatialStructure) to entities that are not converted (${classes}) ${count === 1 ? 'was' : 'were'} left out.`;
  return { wanted, warning: { code: 'NotRead', message, ifcIds: ids.map((id) => `#${id}`) } };
}
