import type { IModelDb } from '@itwin/core-backend';
import { compareIds, navId, rows, text } from './ecsql.js';

/** An element with geometry in 3D, as BisCore describes it. */
export interface ElementRow {
  id: string;
  classId: string;
  className: string;
  label: string | null;
  code: string | null;
  federationGuid: string | null;
  categoryId: string;
  modelId: string;
  parentId: string | null;
}

/** Every 3D geometric element (what can have graphics), by id. */
export async function readGeometricElements(db: IModelDb): Promise<ElementRow[]> {
  const found = await rows(
    db,
    `SELECT e.ECInstanceId id, e.ECClassId classId, s.Name schemaName, c.Name className, e.UserLabel label, e.CodeValue code,
            e.FederationGuid federationGuid, e.Category category, e.Model model, e.Parent parent
       FROM bis.GeometricElement3d e
       JOIN meta.ECClassDef c ON c.ECInstanceId = e.ECClassId
       JOIN meta.ECSchemaDef s ON s.ECInstanceId = c.Schema.Id`,
  );
  return found
    .map((r) => ({
      id: r.id as string,
      classId: r.classId as string,
      className: `${r.schemaName}:${r.className}`,
      label: text(r.label),
      code: text(r.code),
      federationGuid: text(r.federationGuid),
      categoryId: navId(r.category) ?? '0',
      modelId: navId(r.model) ?? '0',
      parentId: navId(r.parent),
    }))
    .sort((a, b) => compareIds(a.id, b.id));
}

/** What any element is called: its user label, else its code, else nothing (by id). */
export async function readElementNames(db: IModelDb): Promise<Map<string, { name: string | null; classId: string }>> {
  const names = new Map<string, { name: string | null; classId: string }>();
  for (const r of await rows(db, 'SELECT ECInstanceId id, ECClassId classId, UserLabel label, CodeValue code FROM bis.Element')) {
    names.set(r.id as string, { name: text(r.label) ?? text(r.code), classId: r.classId as string });
  }
  return names;
}

/** Spatial categories by id: their code and user label. */
export async function readCategories(db: IModelDb): Promise<Map<string, { name: string; label: string | null }>> {
  const categories = new Map<string, { name: string; label: string | null }>();
  for (const r of await rows(db, 'SELECT ECInstanceId id, CodeValue code, UserLabel label FROM bis.Category')) {
    categories.set(r.id as string, { name: text(r.code) ?? (r.id as string), label: text(r.label) });
  }
  return categories;
}

/**
 * Models by id, named as a person knows them: the partition's user label; else the label of the
 * repository link its elements' provenance points to (the source file's name: the IFC connector
 * codes a file's partition and link by the source file's id, and labels the link with its name);
 * else the partition's code.
 */
export async function readModelNames(db: IModelDb): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const sources = new Map<string, string>();
  const links = await rows(
    db,
    `SELECT DISTINCT e.Model.Id modelId, l.UserLabel label FROM bis.ExternalSourceAspect a
       JOIN bis.Element e ON e.ECInstanceId = a.Element.Id
       JOIN bis.RepositoryLink l ON l.ECInstanceId = a.Scope.Id`,
  );
  for (const r of links) {
    const label = text(r.label);
    if (label && !sources.has(r.modelId as string)) sources.set(r.modelId as string, label);
  }
  for (const r of await rows(
    db,
    'SELECT m.ECInstanceId id, p.CodeValue code, p.UserLabel label FROM bis.Model m JOIN bis.Element p ON p.ECInstanceId = m.ModeledElement.Id',
  )) {
    const id = r.id as string;
    names.set(id, text(r.label) ?? sources.get(id) ?? text(r.code) ?? id);
  }
  return names;
}

/** Each element's identifier in its source (its ExternalSourceAspect of kind Element; the first when there are several). */
export async function readExternalIds(db: IModelDb): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const r of await rows(
    db,
    "SELECT Element.Id elementId, Identifier identifier FROM bis.ExternalSourceAspect WHERE Kind = 'Element' ORDER BY ECInstanceId",
  )) {
    const identifier = text(r.identifier);
    if (identifier && !ids.has(r.elementId as string)) ids.set(r.elementId as string, identifier);
  }
  return ids;
}

/** Each physical element's type (`TypeDefinition`), when it has one. */
export async function readTypeDefinitions(db: IModelDb): Promise<Map<string, string>> {
  const types = new Map<string, string>();
  for (const r of await rows(db, 'SELECT ECInstanceId id, TypeDefinition typeDefinition FROM bis.PhysicalElement WHERE TypeDefinition.Id IS NOT NULL')) {
    const type = navId(r.typeDefinition);
    if (type) types.set(r.id as string, type);
  }
  return types;
}
