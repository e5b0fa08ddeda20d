import { createHash } from 'node:crypto';
import { DefinitionModel, DefinitionPartition, type IModelDb, PhysicalModel, PhysicalPartition, SpatialCategory } from '@itwin/core-backend';
import { Id64, type Id64String } from '@itwin/core-bentley';
import { type ElementProps, type ExternalSourceAspectProps, IModel, QueryBinder } from '@itwin/core-common';
import { DynamicSchema } from './dynamic-schema.js';
import {
  clearedOnUpdate,
  dataAspects,
  type Placement,
  productChecksum,
  productDataJson,
  productElementProps,
  spatialChecksum,
  spatialElementProps,
  typeChecksum,
  typeElementProps,
} from './element-props.js';
import { ElementChanges } from './element-changes.js';
import { applyGeolocation } from './geolocation.js';
import { GarbagePacer } from './garbage-pacer.js';
import { ensureIfcSchema, IFC_SCHEMA_NAME, SPATIAL_CLASSES } from './ifc-schema.js';
import { derivedGuid, guidOfGlobalId } from './ifc-guid.js';
import type { IfcSettings } from './ifc-settings.js';
import { isPathIdentifier, pathIdentifiers } from './path-identity.js';
import { updateProjectExtents } from './project-extents.js';
import { parentsFirst } from './parents-first.js';
import { syncSpatialReferences, wantedReferences } from './spatial-references.js';
import { deleteSourceProvenance, elementAspect, ensureSourceProvenance, federationGuidsOutside, knownElements, type SourceFile } from './provenance.js';
import type { IfcObjectData } from './read-data.js';
import type { IfcContent, IfcMesh, IfcProduct } from './read-ifc.js';
import type { ConversionWarning } from './warnings.js';
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
  /** Products whose representation yielded no triangles: left out. */
  withoutGeometry: number;
  /** Their STEP ids. */
  withoutGeometryIds: number[];
  /** What the converter noticed and could not do as the file asked (e.g. a GlobalId used twice). */
  warnings: ConversionWarning[];
  /** The elements inserted, updated and deleted, one by one (the Changed Elements API). */
  changes: ElementChanges;
}

export type { SourceFile } from './provenance.js';

/** How many new elements' provenance aspects are inserted together. */
const PROVENANCE_BATCH = 500;
/** How many meshed products are written together. */
const WRITE_BATCH = 200;
/**
 * How many new or changed products are meshed together, at most (web-ifc parses them as subsets of
 * at most BATCH_INSTANCES instances, read-ifc.ts): enough that a subset's fixed cost is spread.
 */
const MESH_CHUNK = 5000;
/**
 * How much of the products' data (as their checksums cover it, JSON characters) is kept from the
 * schema's reading for the checksums: all of it for a model of a few thousand products (a 5,000-
 * element model's is about 2 MB), a bounded part of a large one's, whose other products are read twice.
 */
const DATA_JSON_BUDGET = 16 * 1024 * 1024;

/**
 * Synchronizes one source file into a new version of the iModel, in place: each IFC product,
 * spatial structure element and type object is one element, identified across versions by its
 * GlobalId (the element's federation GUID is the GUID it encodes, its ExternalSourceAspect holds
 * it and a checksum of what was derived from it), or with `ignoreIfcGlobalIds` by its path in the
 * file's tree (path-identity.ts; the federation GUID then derived from that). Entities whose checksum did not change are not
 * touched, nor meshed; changed ones are updated (same element id); new ones inserted; elements
 * whose entity is gone, deleted. Types first, then the spatial tree parents first, then products
 * aggregates first, so that what an element points to exists when it is written. Each source file
 * owns one physical model (its partition's code is the source file id) and one definition model
 * for its types, so files never touch each other's elements.
 */
export function writeSourceFile(version: VersionFile, source: SourceFile, content: IfcContent, settings: IfcSettings): Promise<WriteResult> {
  return writeVersion(version, async (db) => {
    // Garbage collected as products are read and written (garbage-pacer.ts).
    const pacer = new GarbagePacer();
    await ensureIfcSchema(db);
    const modelId = sourceFileModel(db, source.id) ?? PhysicalModel.insert(db, IModel.rootSubjectId, source.id);
    const typesModelId = typesModel(db, source.id) ?? DefinitionModel.insert(db, IModel.rootSubjectId, typesPartitionName(source.id));
    const scope = ensureSourceProvenance(db, source);
    const known = await knownElements(db, scope);
    const held = new Set([...(await elementsIn(db, 'BisCore.GeometricElement3d', modelId)), ...(await elementsIn(db, 'BisCore.PhysicalType', typesModelId))]);
    const takenGuids = await federationGuidsOutside(db, [modelId, typesModelId]);

    // The classes and properties this file needs, imported before anything refers to them.
    const schema = DynamicSchema.load(db);
    const classOf = new Map<number, string>();
    for (const type of content.types) classOf.set(type.expressId, schema.typeClass(type.ifcClass));
    for (const node of content.spatial) classOf.set(node.expressId, schema.spatialClass(node.ifcClass, SPATIAL_CLASSES[node.type]!));
    for (const product of content.products) classOf.set(product.expressId, schema.elementClass(product.ifcClass));
    for (const object of [...content.types, ...content.spatial]) schema.propertiesOf(classOf.get(object.expressId)!, object.data.propertySets);
    // Products' data is read again when each is written: kept from here, it would be most of what
    // a conversion holds. For a re-sync, what its checksum covers is kept as JSON, up to
    // DATA_JSON_BUDGET characters in all: an unchanged product's data is then read once, not twice.
    // (Into a model with no elements of this file every product is written, its data read again.)
    const dataJson = new Map<number, string>();
    let dataJsonBudget = held.size > 0 ? DATA_JSON_BUDGET : 0;
    for (const { expressId } of content.products) {
      const data = content.dataOf(expressId);
      schema.propertiesOf(classOf.get(expressId)!, data.propertySets);
      if (dataJsonBudget > 0) {
        const json = productDataJson(data);
        dataJson.set(expressId, json);
        dataJsonBudget -= json.length;
      }
      pacer.done();
    }
    await schema.save(db);

    const categories = new Map<string, Id64String>();
    const changes = new ElementChanges(db);
    const counts: SyncCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
    // What the reading could not do (read-data.ts says it in words, by IFC class), then what this does not.
    const warnings: ConversionWarning[] = content.warnings.map((message) => ({ code: 'NotRead', message, ifcIds: [] }));
    const identifierOf = settings.ignoreIfcGlobalIds ? pathIdentifiers(content) : identifiersOf(content, warnings);
    const switched = identitySwitched(known, settings.ignoreIfcGlobalIds);
    if (switched) warnings.push({ code: 'IdentityChanged', message: switched, ifcIds: [] });
    /**
     * Without GlobalIds as identity, a GlobalId is an attribute like any other: a re-export that
     * changed it updates the element's GlobalId property (the checksums do not cover it otherwise).
     */
    const withGlobalId = (checksum: string, globalId: string) =>
      settings.ignoreIfcGlobalIds ? createHash('sha256').update(`${checksum}\n${globalId}`).digest('hex') : checksum;
    const elementOf = new Map<number, Id64String>();
    const kept = new Set<Id64String>();
    /** The elements counted unchanged: not written at all. */
    const untouched = new Set<Id64String>();

    /**
     * New elements' ExternalSourceAspects, inserted a few hundred at a time: in a tight loop each
     * insert costs half what it does between meshing and inserting elements (measured: 0.08 against
     * 0.17 ms).
     */
    const provenance: ExternalSourceAspectProps[] = [];
    const flushProvenance = () => {
      for (const aspect of provenance) db.elements.insertAspect(aspect);
      provenance.length = 0;
    };

    /** The element of an entity whose checksum is the one recorded: untouched, not even read. */
    const unchanged = (expressId: number, checksum: string): Id64String | undefined => {
      const existing = known.get(identifierOf.get(expressId)!);
      if (!existing || !held.has(existing.elementId) || existing.checksum !== checksum) return undefined;
      kept.add(existing.elementId);
      untouched.add(existing.elementId);
      counts.unchanged++;
      return existing.elementId;
    };

    /**
     * One element that is new or changed: updated in place (same id and federation GUID) when the
     * iModel holds it, inserted when not. An element written by an older converter as another
     * class is replaced (EC cannot change an element's class), keeping its federation GUID.
     */
    const write = (
      kind: 'product' | 'spatial' | 'storey' | 'type',
      expressId: number,
      globalId: string,
      checksum: string,
      data: IfcObjectData,
      props: (guid: string) => ElementProps,
    ): Id64String => {
      const identifier = identifierOf.get(expressId)!;
      const existing = known.get(identifier);
      if (existing && held.has(existing.elementId)) {
        const guid = existing.federationGuid ?? derivedGuid(source.id, identifier);
        const wanted = props(guid) as ElementProps & Record<string, unknown>;
        // What the entity no longer has is cleared, not left as the earlier version had it.
        for (const [key, empty] of Object.entries(clearedOnUpdate(kind))) if (wanted[key] === undefined) wanted[key] = empty;
        Object.assign(wanted, schema.cleared(wanted.classFullName, wanted));
        // With its geometry: what changed is recorded, the element as read before against as read after (element-changes.ts).
        const current = db.elements.tryGetElementProps({ id: existing.elementId, wantGeometry: true });
        if (current && sameClass(current.classFullName, wanted.classFullName)) {
          kept.add(existing.elementId);
          db.elements.updateElement({ ...wanted, id: existing.elementId });
          changes.updated(existing.elementId, current, db.elements.getElementProps({ id: existing.elementId, wantGeometry: true }));
          db.elements.updateAspect({ ...elementAspect(scope, existing.elementId, identifier, checksum), id: existing.aspectId });
          replaceDataAspects(db, existing.elementId, data);
          counts.updated++;
          return existing.elementId;
        }
        // Gone already when it was the child of an element replaced this way (children go with their parent).
        if (current) {
          changes.deleted(existing.elementId, current);
          db.elements.deleteElement(existing.elementId);
        }
        held.delete(existing.elementId);
        const elementId = db.elements.insertElement(wanted);
        changes.inserted(elementId, wanted);
        provenance.push(elementAspect(scope, elementId, identifier, checksum));
        insertDataAspects(db, elementId, data);
        kept.add(elementId);
        counts.updated++;
        return elementId;
      }
      let guid = guidOfGlobalId(globalId);
      if (guid === undefined || takenGuids.has(guid) || identifier !== globalId) guid = derivedGuid(source.id, identifier);
      takenGuids.add(guid);
      const inserted = props(guid);
      const elementId = db.elements.insertElement(inserted);
      changes.inserted(elementId, inserted);
      provenance.push(elementAspect(scope, elementId, identifier, checksum));
      if (provenance.length >= PROVENANCE_BATCH) flushProvenance();
      insertDataAspects(db, elementId, data);
      kept.add(elementId);
      counts.inserted++;
      return elementId;
    };
    /** One product's (or spatial element's) meshes, computed now. */
    const meshesOf = (id: number): IfcMesh[] => {
      let found: IfcMesh[] = [];
      content.meshes([id], (_, meshes) => {
        found = meshes;
      });
      return found;
    };

    // Types first: occurrences point to them.
    const typeOf = new Map<number, Id64String>();
    for (const type of content.types) {
      const checksum = withGlobalId(typeChecksum(type), type.globalId);
      const elementId =
        unchanged(type.expressId, checksum) ??
        write('type', type.expressId, type.globalId, checksum, type.data, (guid) => {
          const className = classOf.get(type.expressId)!;
          return typeElementProps(type, className, schema.propertiesOf(className, type.data.propertySets), typesModelId, guid);
        });
      typeOf.set(type.expressId, elementId);
    }
    // The spatial tree, parents before children: each element's parent exists when it is written.
    for (const node of content.spatial) {
      const placement = placementOf(node.parentId, null, elementOf, identifierOf);
      const category = categoryFor(db, categories, node.ifcClass);
      const checksum = withGlobalId(spatialChecksum(node, placement), node.globalId);
      const elementId =
        unchanged(node.expressId, checksum) ??
        write(node.type === 'IFCBUILDINGSTOREY' ? 'storey' : 'spatial', node.expressId, node.globalId, checksum, node.data, (guid) => {
          const className = classOf.get(node.expressId)!;
          const properties = schema.propertiesOf(className, node.data.propertySets);
          return spatialElementProps(node, node.hasShape ? meshesOf(node.expressId) : [], className, properties, modelId, category, guid, placement);
        });
      elementOf.set(node.expressId, elementId);
    }

    // Products, aggregates before their parts however deep the nesting: an aggregate written at once
    // (its parts need its element); every other new or changed product meshed and written with a
    // chunk of others. Unchanged products are not meshed at all.
    const ordered = parentsFirst(
      content.products,
      (p) => p.expressId,
      (p) => p.aggregateId,
      (p) => {
        p.aggregateId = null;
      },
    );
    const wholes = new Set(ordered.map((p) => p.aggregateId).filter((id) => id !== null));
    const withoutGeometryIds: number[] = [];
    interface Job {
      product: IfcProduct;
      data: IfcObjectData;
      placement: Placement;
      checksum: string;
    }
    const writeProduct = ({ product, data, placement, checksum }: Job, meshes: IfcMesh[]) => {
      const category = categoryFor(db, categories, product.ifcClass);
      const elementId = write('product', product.expressId, product.globalId, checksum, data, (guid) => {
        const className = classOf.get(product.expressId)!;
        const properties = schema.propertiesOf(className, data.propertySets);
        return productElementProps(product, data, meshes, className, properties, modelId, category, guid, placement);
      });
      elementOf.set(product.expressId, elementId);
    };
    // New and changed products, meshed and written MESH_CHUNK at a time: what waits to be written
    // (data, placement, checksum) follows the chunk, not the model.
    const pending = new Map<number, Job>();
    const writePending = () => {
      // Written a few hundred at a time, in a tight loop: iTwin.js's inserts cost less when they do
      // not alternate with web-ifc's meshing (the meshes held meanwhile are a few hundred products').
      let meshed: { id: number; meshes: IfcMesh[] }[] = [];
      const flushMeshed = () => {
        for (const { id, meshes } of meshed) {
          writeProduct(pending.get(id)!, meshes);
          pacer.done();
        }
        meshed = [];
      };
      content.meshes([...pending.keys()], (id, meshes) => {
        if (!pending.has(id)) return;
        // A representation without triangles (2D only, or empty): left out, and counted as a warning.
        if (meshes.length === 0) withoutGeometryIds.push(id);
        else meshed.push({ id, meshes });
        if (meshed.length >= WRITE_BATCH) flushMeshed();
      });
      flushMeshed();
      pending.clear();
    };
    for (const product of ordered) {
      const json = dataJson.get(product.expressId);
      dataJson.delete(product.expressId);
      let data = json === undefined ? content.dataOf(product.expressId) : undefined;
      const placement: Placement = {
        ...placementOf(product.aggregateId, product.containerId, elementOf, identifierOf),
        typeElementId: product.typeId === null ? undefined : typeOf.get(product.typeId),
        typeIdentifier: product.typeId === null ? null : (identifierOf.get(product.typeId) ?? null),
        containerElementId: product.containerId === null ? undefined : elementOf.get(product.containerId),
      };
      const checksum = withGlobalId(productChecksum(product, json ?? data!, placement), product.globalId);
      const same = unchanged(product.expressId, checksum);
      if (same) {
        categoryFor(db, categories, product.ifcClass);
        elementOf.set(product.expressId, same);
        continue;
      }
      data ??= content.dataOf(product.expressId);
      if (wholes.has(product.expressId)) {
        writeProduct({ product, data, placement, checksum }, product.hasShape ? meshesOf(product.expressId) : []);
      } else {
        pending.set(product.expressId, { product, data, placement, checksum });
        if (pending.size >= MESH_CHUNK) writePending();
      }
    }
    writePending();

    flushProvenance();

    // Gone from the file, or brought in before elements had aspects (older versions): deleted, with
    // their aspects and relationships. A child of a deleted parent goes with it.
    const vanished = [...held].filter((id) => !kept.has(id));
    const parents = parentsOf(db, vanished, changes);
    const vanishedSet = new Set(vanished);
    const roots = vanished.filter((id) => !vanishedSet.has(parents.get(id) ?? '') && db.elements.tryGetElementProps(id) !== undefined);
    if (roots.length > 0) db.elements.deleteElement(roots);
    counts.deleted = vanished.length;

    // References of spatial elements, made what the file says now once every element exists
    // (spatial-references.ts). An element not written whose references changed is counted as
    // updated: an indirect change, as the changed elements say it.
    const references = wantedReferences(content.references, elementOf, new Set(withoutGeometryIds));
    if (references.warning) warnings.push(references.warning);
    for (const id of await syncSpatialReferences(db, modelId, references.wanted)) {
      if (!untouched.delete(id)) continue;
      counts.unchanged--;
      counts.updated++;
      const props = db.elements.getElementProps({ id, wantGeometry: true });
      changes.updated(id, props, props);
    }
    // Every time, not only when elements changed: a changed clampZExtent applies to an unchanged file too.
    const extentsMessage = updateProjectExtents(db, settings.clampZExtent);
    if (extentsMessage) warnings.push({ code: 'ProjectExtents', message: extentsMessage, ifcIds: [] });
    for (const message of applyGeolocation(db, source, content.geolocation)) warnings.push({ code: 'Geolocation', message, ifcIds: [] });
    const withoutGeometry = withoutGeometryIds.length;
    return { ...counts, elements: kept.size, categories: categories.size, withoutGeometry, withoutGeometryIds, warnings, changes };
  });
}

/** Class names as iTwin.js gives them ("Schema:Class") and as EC may spell them ("Schema.Class"), compared. */
function sameClass(a: string, b: string): boolean {
  return a.replace('.', ':').toLowerCase() === b.replace('.', ':').toLowerCase();
}

/** The aspects an element's IFC data becomes, on a new element. */
function insertDataAspects(db: IModelDb, elementId: Id64String, data: IfcObjectData): void {
  for (const aspect of dataAspects(data, elementId)) db.elements.insertAspect(aspect);
}

/** A changed element's data aspects: the old ones deleted, the new ones inserted (its ExternalSourceAspect stays). */
function replaceDataAspects(db: IModelDb, elementId: Id64String, data: IfcObjectData): void {
  const old = db.elements
    .getAspects(elementId)
    .filter((a) => a.classFullName.toLowerCase().startsWith(IFC_SCHEMA_NAME.toLowerCase()))
    .map((a) => a.id);
  if (old.length > 0) db.elements.deleteAspect(old);
  insertDataAspects(db, elementId, data);
}

/**
 * The report's words when the source file's elements were identified the other way last time
 * (`ignoreIfcGlobalIds` switched since): none of them can be matched, so each is replaced by a new
 * element (deleted and inserted, new element ids and federation GUIDs), once.
 */
function identitySwitched(known: ReadonlyMap<string, unknown>, ignoreGlobalIds: boolean): string | undefined {
  let other = 0;
  for (const identifier of known.keys()) if (isPathIdentifier(identifier) !== ignoreGlobalIds) other++;
  if (other === 0) return undefined;
  const before = ignoreGlobalIds ? 'by GlobalId' : 'by their place in the file (ignoreIfcGlobalIds)';
  const now = ignoreGlobalIds ? 'by their place in the file (ignoreIfcGlobalIds is set)' : 'by GlobalId (ignoreIfcGlobalIds is not set)';
  return `${other} ${other === 1 ? 'element of this file was' : 'elements of this file were'} identified ${before} and are now identified ${now}: they were replaced by new elements.`;
}

/**
 * Each element's identifier: its GlobalId, unique in a file as IFC requires; some files repeat
 * one, and the later element is then identified by its STEP id too (which holds for as long as the
 * file is not rewritten), with a warning.
 */
function identifiersOf(content: IfcContent, warnings: ConversionWarning[]): Map<number, string> {
  const identifiers = new Map<number, string>();
  /** Identifier → the STEP id of the product that took it first. */
  const used = new Map<string, number>();
  for (const { expressId, globalId } of [...content.types, ...content.spatial, ...content.products]) {
    let identifier = globalId;
    const first = used.get(identifier);
    if (first !== undefined) {
      identifier = `${globalId}#${expressId}`;
      warnings.push({
        code: 'DuplicateGlobalId',
        message: `GlobalId ${globalId} is used by more than one element; #${expressId} is identified by its STEP id as well.`,
        ifcIds: [`#${first}`, `#${expressId}`],
      });
    }
    used.set(identifier, expressId);
    identifiers.set(expressId, identifier);
  }
  return identifiers;
}

function placementOf(parentId: number | null, containerId: number | null, elementOf: Map<number, Id64String>, identifierOf: Map<number, string>): Placement {
  return {
    parentElementId: parentId === null ? undefined : elementOf.get(parentId),
    parentIdentifier: parentId === null ? null : (identifierOf.get(parentId) ?? null),
    containerIdentifier: containerId === null ? null : (identifierOf.get(containerId) ?? null),
  };
}

/** The parent of each of these elements that has one; each is recorded as deleted, as it is before it goes. */
function parentsOf(db: IModelDb, ids: readonly Id64String[], changes: ElementChanges): Map<Id64String, Id64String> {
  const parents = new Map<Id64String, Id64String>();
  for (const id of ids) {
    const props = db.elements.tryGetElementProps(id);
    if (props) changes.deleted(id, props);
    const parent = props?.parent?.id;
    if (parent) parents.set(id, parent);
  }
  return parents;
}

/** Takes out what a source file brought in (a new version all the same, even when it brought nothing). */
export function removeSourceFile(version: VersionFile, sourceFileId: string, settings: IfcSettings): Promise<WriteResult> {
  return writeVersion(version, async (db) => {
    const changes = new ElementChanges(db);
    const deleted = await deleteSourceFileModel(db, sourceFileId, changes);
    deleteSourceProvenance(db, sourceFileId);
    const extentsMessage = updateProjectExtents(db, settings.clampZExtent);
    const warnings: ConversionWarning[] = extentsMessage ? [{ code: 'ProjectExtents', message: extentsMessage, ifcIds: [] }] : [];
    return { inserted: 0, updated: 0, unchanged: 0, deleted, elements: 0, categories: 0, withoutGeometry: 0, withoutGeometryIds: [], warnings, changes };
  });
}

/** The source file's physical model (its partition's id), if it has one. */
function sourceFileModel(db: IModelDb, sourceFileId: string): Id64String | undefined {
  const id = db.elements.queryElementIdByCode(PhysicalPartition.createCode(db, IModel.rootSubjectId, sourceFileId));
  return id && Id64.isValidId64(id) ? id : undefined;
}

/** The partition of a source file's type objects: named after the source file, as its physical model is. */
function typesPartitionName(sourceFileId: string): string {
  return `${sourceFileId} types`;
}

/** The source file's definition model of type objects, if it has one. */
function typesModel(db: IModelDb, sourceFileId: string): Id64String | undefined {
  const id = db.elements.queryElementIdByCode(DefinitionPartition.createCode(db, IModel.rootSubjectId, typesPartitionName(sourceFileId)));
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

/**
 * The ids of a model's elements of a class. (IModelDb.queryEntityIds stops at 10,000 rows by
 * default: a larger model's other elements would have looked vanished.)
 */
async function elementsIn(db: IModelDb, className: string, modelId: Id64String): Promise<Id64String[]> {
  const ids: Id64String[] = [];
  for await (const row of db.createQueryReader(`SELECT ECInstanceId FROM ${className} WHERE Model.Id = ?`, QueryBinder.from([modelId])))
    ids.push(row[0] as Id64String);
  return ids;
}

/** Deletes the source file's partitions, their models and the models' elements; how many elements they held. */
async function deleteSourceFileModel(db: IModelDb, sourceFileId: string, changes: ElementChanges): Promise<number> {
  let deleted = 0;
  for (const [partitionId, from] of [
    [sourceFileModel(db, sourceFileId), 'BisCore.GeometricElement3d'],
    [typesModel(db, sourceFileId), 'BisCore.PhysicalType'],
  ] as const) {
    if (!partitionId) continue;
    const held = await elementsIn(db, from, partitionId);
    for (const id of held) {
      const props = db.elements.tryGetElementProps(id);
      if (props) changes.deleted(id, props);
    }
    if (held.length > 0) db.elements.deleteElement(held);
    db.models.deleteModel(partitionId);
    db.elements.deleteElement(partitionId);
    deleted += held.length;
  }
  return deleted;
}
