import { type IModelDb, PhysicalModel, PhysicalPartition, SpatialCategory } from '@itwin/core-backend';
import { Id64, type Id64String } from '@itwin/core-bentley';
import { IModel } from '@itwin/core-common';
import { productChecksum, productElementProps } from './element-props.js';
import { derivedGuid, guidOfGlobalId } from './ifc-guid.js';
import { deleteSourceProvenance, elementAspect, ensureSourceProvenance, federationGuidsOutside, knownElements, type SourceFile } from './provenance.js';
import type { IfcContent } from './read-ifc.js';
import { type VersionFile, writeVersion } from './write-imodel.js';

/** What a synchronization did to the iModel, element by element. */
export interface SyncCounts {
  inserted: number;
  updated: number;
  /** Found as they were: not written at all (same element id, same last modification). */
  unchanged: number;
  deleted: number;
}

export interface WriteResult extends SyncCounts {
  /** Elements the source file holds in the new version. */
  elements: number;
  categories: number;
  /** What the converter noticed and could not do as the file asked (e.g. a GlobalId used twice). */
  warnings: string[];
}

export type { SourceFile } from './provenance.js';

/**
 * Synchronizes one source file into a new version of the iModel, in place: each IFC product is
 * one element, identified across versions by its GlobalId (the element's federation GUID is the
 * GUID it encodes, its ExternalSourceAspect holds it and a checksum of what was derived from it).
 * Products whose checksum did not change are not touched; changed ones are updated (same element
 * id); new ones inserted; elements whose product is gone, deleted. Each source file owns one
 * physical model (its partition's code is the source file id), so files never touch each other's
 * elements.
 */
export function writeSourceFile(version: VersionFile, source: SourceFile, content: IfcContent): Promise<WriteResult> {
  return writeVersion(version, async (db) => {
    const modelId = sourceFileModel(db, source.id) ?? PhysicalModel.insert(db, IModel.rootSubjectId, source.id);
    const scope = ensureSourceProvenance(db, source);
    const known = await knownElements(db, scope);
    const held = new Set(db.queryEntityIds({ from: 'BisCore.GeometricElement3d', where: `Model.Id=${modelId}` }));
    const takenGuids = await federationGuidsOutside(db, modelId);
    const categories = new Map<string, Id64String>();
    const counts: SyncCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
    const warnings: string[] = [];
    const identifiers = new Set<string>();
    const kept = new Set<Id64String>();

    for (const product of content.products) {
      // A GlobalId is meant to be unique in a file; some files repeat one. The later product is
      // then identified by its STEP id too, which holds for as long as the file is not rewritten.
      let identifier = product.globalId;
      if (identifiers.has(identifier)) {
        identifier = `${product.globalId}#${product.expressId}`;
        warnings.push(`GlobalId ${product.globalId} is used by more than one product; #${product.expressId} is identified by its STEP id as well.`);
      }
      identifiers.add(identifier);
      const category = categoryFor(db, categories, product.ifcClass);
      const checksum = productChecksum(product);
      const existing = known.get(identifier);
      if (existing && held.has(existing.elementId)) {
        kept.add(existing.elementId);
        if (existing.checksum === checksum) {
          counts.unchanged++;
          continue;
        }
        // The element keeps its id and federation GUID; everything derived from the product is rewritten.
        const guid = existing.federationGuid ?? derivedGuid(source.id, identifier);
        db.elements.updateElement({ ...productElementProps(product, modelId, category, guid), id: existing.elementId });
        db.elements.updateAspect({ ...elementAspect(scope, existing.elementId, identifier, checksum), id: existing.aspectId });
        counts.updated++;
        continue;
      }
      let guid = guidOfGlobalId(product.globalId);
      if (guid === undefined || takenGuids.has(guid) || identifier !== product.globalId) guid = derivedGuid(source.id, identifier);
      takenGuids.add(guid);
      const elementId = db.elements.insertElement(productElementProps(product, modelId, category, guid));
      db.elements.insertAspect(elementAspect(scope, elementId, identifier, checksum));
      counts.inserted++;
    }

    // Gone from the file, or brought in before elements had aspects (older versions): deleted.
    // Their aspects go with them.
    const vanished = [...held].filter((id) => !kept.has(id));
    if (vanished.length > 0) db.elements.deleteElement(vanished);
    counts.deleted = vanished.length;
    if (counts.inserted + counts.updated + counts.deleted > 0) updateProjectExtents(db);
    return { ...counts, elements: content.products.length, categories: categories.size, warnings };
  });
}

/** Takes out what a source file brought in (a new version all the same, even when it brought nothing). */
export function removeSourceFile(version: VersionFile, sourceFileId: string): Promise<WriteResult> {
  return writeVersion(version, (db) => {
    const deleted = deleteSourceFileModel(db, sourceFileId);
    deleteSourceProvenance(db, sourceFileId);
    if (deleted > 0) updateProjectExtents(db);
    return { inserted: 0, updated: 0, unchanged: 0, deleted, elements: 0, categories: 0, warnings: [] };
  });
}

/** The source file's physical model (its partition's id), if it has one. */
function sourceFileModel(db: IModelDb, sourceFileId: string): Id64String | undefined {
  const id = db.elements.queryElementIdByCode(PhysicalPartition.createCode(db, IModel.rootSubjectId, sourceFileId));
  return id && Id64.isValidId64(id) ? id : undefined;
}

/** One spatial category per IFC class, shared by all source files. */
function categoryFor(db: IModelDb, cache: Map<string, Id64String>, ifcClass: string): Id64String {
  let category = cache.get(ifcClass);
  if (!category) {
    category = SpatialCategory.queryCategoryIdByName(db, IModel.dictionaryId, ifcClass) ?? SpatialCategory.insert(db, IModel.dictionaryId, ifcClass, {});
    cache.set(ifcClass, category);
  }
  return category;
}

/** The project extents: what all elements of all source files occupy (kept when none is left). */
function updateProjectExtents(db: IModelDb): void {
  const { extents } = db.computeProjectExtents();
  if (!extents.isNull) db.updateProjectExtents(extents);
}

/** Deletes the source file's partition, its model and the model's elements; how many elements it held. */
function deleteSourceFileModel(db: IModelDb, sourceFileId: string): number {
  const partitionId = sourceFileModel(db, sourceFileId);
  if (!partitionId) return 0;
  const held = [...db.queryEntityIds({ from: 'BisCore.GeometricElement3d', where: `Model.Id=${partitionId}` })];
  if (held.length > 0) db.elements.deleteElement(held);
  db.models.deleteModel(partitionId);
  db.elements.deleteElement(partitionId);
  return held.length;
}
