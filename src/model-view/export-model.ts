import fs from 'node:fs';
import path from 'node:path';
import type { IModelDb } from '@itwin/core-backend';
import {
  type ElementDetails,
  type ExportSummary,
  MODEL_VIEW_FILES,
  MODEL_VIEW_FORMAT,
  type ModelCategory,
  type ModelElement,
  type PropertyHolder,
} from '../domain/model-view/model.js';
import type { Row } from './ecsql.js';
import { compareIds, rows } from './ecsql.js';
import { exportGraphics } from './export-graphics.js';
import { GlbWriter } from './glb-writer.js';
import {
  type ElementRow,
  readCategories,
  readElementNames,
  readExternalIds,
  readGeometricElements,
  readModelNames,
  readTypeDefinitions,
} from './read-elements.js';
import { ClassCatalog, propertiesOf, readInstances } from './read-properties.js';

/** An IFC GlobalId: 22 characters of IFC's base 64. */
const GLOBAL_ID = /^[0-9A-Za-z_$]{22}$/;
/** The category the builtin IFC connector puts spaces in (docs/connectors.md). */
const SPACES_CATEGORY = /^IfcSpace$/i;

export interface ExportRequest {
  iModelId: string;
  changesetIndex: number;
  /** The folder the files of MODEL_VIEW_FILES are written to (it exists, and is this export's alone). */
  outputDir: string;
}

/**
 * Exports one version of an iModel, open read-only, for a web page to show (docs/model-view.md):
 * the graphics of its 3D elements as binary glTF, the list of those elements, their categories,
 * and each one's details with its properties (one JSON line per element, with an index of where
 * each line is, so that one element is read from the blob store without reading all). Elements
 * without triangles are left out of all of it. Everything is in a fixed order (the graphics and
 * the list by element id, the details by class then id), so that exporting the same file again
 * writes the same bytes (two processes may export one version at once). The summary is written last.
 */
export async function exportModel(db: IModelDb, request: ExportRequest): Promise<ExportSummary> {
  const started = Date.now();
  const file = (name: string) => path.join(request.outputDir, name);
  const extents = db.projectExtents;
  const offset: [number, number, number] = extents.isNull ? [0, 0, 0] : [extents.center.x, extents.center.y, extents.center.z];

  const all = await readGeometricElements(db);
  const writer = new GlbWriter(file('.graphics'));
  let exportedIds: string[];
  let graphicsBytes: number;
  try {
    exportedIds = exportGraphics(
      db,
      all.map((e) => e.id),
      offset,
      writer,
    );
    graphicsBytes = writer.finish(file(MODEL_VIEW_FILES.graphics), {
      iModelId: request.iModelId,
      changesetIndex: request.changesetIndex,
      offset,
      units: 'm',
      upAxis: 'Y',
    });
  } catch (error) {
    writer.abort();
    throw error;
  }
  const exported = new Set(exportedIds);
  const elements = all.filter((e) => exported.has(e.id));

  const [names, categories, models, externalIds, types] = await Promise.all([
    readElementNames(db),
    readCategories(db),
    readModelNames(db),
    readExternalIds(db),
    readTypeDefinitions(db),
  ]);
  const catalog = new ClassCatalog(db);

  const typeIds = new Set(elements.map((e) => types.get(e.id)).filter((t): t is string => t !== undefined));
  const typeRows = new Map<string, Row>();
  for (const classId of new Set([...typeIds].map((t) => names.get(t)?.classId).filter((c): c is string => c !== undefined))) {
    for (const [id, row] of await readInstances(db, await catalog.get(classId), (id) => typeIds.has(id))) typeRows.set(id, row);
  }
  const aspects = await readAspects(db, catalog, exported, names);

  // Class by class, one query each: what is held at once is one class's rows, not the model's.
  const byClass = new Map<string, ElementRow[]>();
  for (const e of elements) {
    const members = byClass.get(e.classId);
    if (members) members.push(e);
    else byClass.set(e.classId, [e]);
  }
  let rowsOfClass: { classId: string; rows: Map<string, Row> } | undefined;
  const list: ModelElement[] = [];
  const detailsFd = fs.openSync(file(MODEL_VIEW_FILES.details), 'w');
  const index: Record<string, [number, number]> = {};
  let position = 0;
  try {
    for (const e of [...byClass.keys()].sort(compareIds).flatMap((classId) => byClass.get(classId)!)) {
      const cls = await catalog.get(e.classId);
      if (!rowsOfClass || rowsOfClass.classId !== e.classId) {
        const members = new Set(byClass.get(e.classId)!.map((m) => m.id));
        rowsOfClass = { classId: e.classId, rows: await readInstances(db, cls, (id) => members.has(id)) };
      }
      const row = rowsOfClass.rows.get(e.id) ?? {};
      const properties = propertiesOf(cls, row, names);
      const externalId = externalIds.get(e.id) ?? null;
      const globalIdProperty = properties.find((p) => p.name === 'GlobalId' && typeof p.value === 'string');
      const globalId = (globalIdProperty?.value as string | undefined) ?? (externalId && GLOBAL_ID.test(externalId) ? externalId : null);
      const category = categories.get(e.categoryId);
      const element: ModelElement = {
        id: e.id,
        className: e.className,
        label: e.label,
        code: e.code,
        globalId,
        federationGuid: e.federationGuid,
        externalId,
        category: { id: e.categoryId, name: category?.name ?? e.categoryId },
        model: { id: e.modelId, name: models.get(e.modelId) ?? e.modelId },
        parentId: e.parentId,
      };
      list.push(element);
      const typeId = types.get(e.id);
      const details: ElementDetails = {
        ...element,
        classLabel: cls.label,
        properties,
        aspects: aspects.get(e.id) ?? [],
        type: typeId ? await holder(catalog, typeId, typeRows.get(typeId) ?? {}, names) : null,
      };
      const line = Buffer.from(`${JSON.stringify({ element: details })}\n`, 'utf8');
      fs.writeSync(detailsFd, line);
      // The line without its newline: exactly the answer to a request for the element.
      index[e.id] = [position, line.length - 1];
      position += line.length;
    }
  } finally {
    fs.closeSync(detailsFd);
  }
  list.sort((a, b) => compareIds(a.id, b.id));

  const counts = new Map<string, { count: number; spacesOnly: boolean }>();
  for (const e of list) {
    const c = counts.get(e.category.id) ?? { count: 0, spacesOnly: true };
    c.count++;
    c.spacesOnly &&= /:IfcSpace$/.test(e.className);
    counts.set(e.category.id, c);
  }
  const categoryList: ModelCategory[] = [...counts].map(([id, c]) => {
    const category = categories.get(id);
    const name = category?.name ?? id;
    return { id, name, label: category?.label ?? null, elementCount: c.count, spaces: SPACES_CATEGORY.test(name) || c.spacesOnly };
  });
  categoryList.sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id));

  fs.writeFileSync(file(MODEL_VIEW_FILES.elements), JSON.stringify({ offset, elements: list }));
  fs.writeFileSync(file(MODEL_VIEW_FILES.categories), JSON.stringify({ categories: categoryList }));
  fs.writeFileSync(file(MODEL_VIEW_FILES.detailsIndex), JSON.stringify(index));
  const summary: ExportSummary = {
    format: MODEL_VIEW_FORMAT,
    iModelId: request.iModelId,
    changesetIndex: request.changesetIndex,
    offset,
    elements: list.length,
    meshes: writer.elementCount,
    triangles: writer.triangles,
    graphicsBytes,
    exportMs: Date.now() - started,
  };
  fs.writeFileSync(file(MODEL_VIEW_FILES.summary), JSON.stringify(summary));
  return summary;
}

async function holder(
  catalog: ClassCatalog,
  id: string,
  row: Row,
  names: ReadonlyMap<string, { name: string | null; classId: string }>,
): Promise<PropertyHolder | null> {
  const classId = names.get(id)?.classId;
  if (!classId) return null;
  const cls = await catalog.get(classId);
  return { id, className: cls.fullName, label: names.get(id)?.name ?? null, properties: propertiesOf(cls, row, names) };
}

/**
 * The aspects of the exported elements whose class is not BisCore's (BisCore's are provenance:
 * the ExternalSourceAspect's identifier is the element's `externalId`), by element, in id order.
 */
async function readAspects(
  db: IModelDb,
  catalog: ClassCatalog,
  exported: ReadonlySet<string>,
  names: ReadonlyMap<string, { name: string | null; classId: string }>,
): Promise<Map<string, PropertyHolder[]>> {
  const byElement = new Map<string, PropertyHolder[]>();
  for (const r of await rows(db, 'SELECT DISTINCT ECClassId classId FROM bis.ElementAspect')) {
    const cls = await catalog.get(r.classId as string);
    if (cls.bisCore) continue;
    for (const [id, row] of await readInstances(db, cls, () => true, ['Element'])) {
      const elementId = (row.Element as { Id?: string } | undefined)?.Id;
      if (!elementId || !exported.has(elementId)) continue;
      const list = byElement.get(elementId) ?? [];
      list.push({ id, className: cls.fullName, label: cls.label, properties: propertiesOf(cls, row, names) });
      byElement.set(elementId, list);
    }
  }
  for (const list of byElement.values()) list.sort((a, b) => compareIds(a.id, b.id));
  return byElement;
}
