import { ExternalSource, ExternalSourceAspect, type IModelDb, LinkElement, RepositoryLink } from '@itwin/core-backend';
import { Id64, type Id64String } from '@itwin/core-bentley';
import { type ExternalSourceAspectProps, type ExternalSourceProps, IModel, QueryBinder, type RepositoryLinkProps } from '@itwin/core-common';

/**
 * Where an element came from, recorded the way iTwin connectors record it, so that iTwin tools
 * (and the next synchronization) can tell: per source file a `RepositoryLink` (the file) and an
 * `ExternalSource` in it (what a connector read from the file), and per element an
 * `ExternalSourceAspect` scoped to the link, whose identifier is the IFC GlobalId and whose checksum
 * covers everything the converter derived from the IFC entity. The aspect's (scope, kind,
 * identifier) is indexed by BisCore: finding an element by GlobalId reads no JSON.
 */

/** What the converter derives from an entity: change it and every checksum changes with it, so a re-sync rewrites all elements. */
export const CONVERTER_REVISION = '2';
export const CONNECTOR_NAME = 'twinsync builtin IFC connector';
/** The aspects' `kind` for elements made from IFC entities. */
export const ELEMENT_KIND = 'Element';

export interface SourceFile {
  /** The storage connection's source file id: stable across renames and content changes. */
  id: string;
  /** Its file name today (the link's label). */
  fileName: string;
}

export interface SourceProvenance {
  /** The RepositoryLink: the scope of the source file's element aspects. */
  linkId: Id64String;
  externalSourceId: Id64String;
}

/** What the iModel already holds from a source file, by identifier (GlobalId). */
export interface KnownElement {
  elementId: Id64String;
  aspectId: Id64String;
  checksum: string | undefined;
  federationGuid: string | undefined;
}

/** The source file's RepositoryLink and ExternalSource, made the first time and relabelled when the file was renamed. */
export function ensureSourceProvenance(db: IModelDb, source: SourceFile): SourceProvenance {
  const linkCode = LinkElement.createCode(db, IModel.repositoryModelId, source.id);
  let linkId = db.elements.queryElementIdByCode(linkCode);
  if (linkId === undefined) {
    const props: RepositoryLinkProps = {
      classFullName: RepositoryLink.classFullName,
      model: IModel.repositoryModelId,
      code: linkCode,
      userLabel: source.fileName,
      url: source.fileName,
      format: 'IFC',
      ...(isGuid(source.id) && { repositoryGuid: source.id }),
    };
    linkId = db.elements.insertElement(props);
  } else {
    const link = db.elements.getElementProps<RepositoryLinkProps>(linkId);
    if (link.userLabel !== source.fileName) db.elements.updateElement({ ...link, userLabel: source.fileName, url: source.fileName });
  }

  ExternalSource.ensureCodeSpec(db);
  const sourceCode = ExternalSource.createCode(db, source.id);
  let externalSourceId = db.elements.queryElementIdByCode(sourceCode);
  if (externalSourceId === undefined) {
    const props: ExternalSourceProps & { classFullName: string } = {
      classFullName: ExternalSource.classFullName,
      model: IModel.repositoryModelId,
      code: sourceCode,
      userLabel: source.fileName,
      repository: { id: linkId, relClassName: 'BisCore:ExternalSourceIsInRepository' },
      connectorName: CONNECTOR_NAME,
      connectorVersion: CONVERTER_REVISION,
    };
    externalSourceId = db.elements.insertElement(props);
  }
  return { linkId, externalSourceId };
}

/** The source file's link and external source, if any (what removing the file deletes). */
export function findSourceProvenance(db: IModelDb, sourceFileId: string): Partial<SourceProvenance> {
  const linkId = db.elements.queryElementIdByCode(LinkElement.createCode(db, IModel.repositoryModelId, sourceFileId));
  ExternalSource.ensureCodeSpec(db);
  const externalSourceId = db.elements.queryElementIdByCode(ExternalSource.createCode(db, sourceFileId));
  return { linkId, externalSourceId };
}

/** Every element the source file brought in before, by the identifier its aspect records. */
export async function knownElements(db: IModelDb, scope: SourceProvenance): Promise<Map<string, KnownElement>> {
  const known = new Map<string, KnownElement>();
  const reader = db.createQueryReader(
    `SELECT a.Identifier, a.Element.Id, a.ECInstanceId, a.Checksum, e.FederationGuid
       FROM BisCore.ExternalSourceAspect a JOIN BisCore.Element e ON e.ECInstanceId = a.Element.Id
      WHERE a.Scope.Id = ? AND a.Kind = ?`,
    QueryBinder.from([scope.linkId, ELEMENT_KIND]),
  );
  for await (const row of reader) {
    known.set(row[0] as string, {
      elementId: row[1] as string,
      aspectId: row[2] as string,
      checksum: (row[3] as string | undefined) ?? undefined,
      federationGuid: typeof row[4] === 'string' ? row[4].toLowerCase() : undefined,
    });
  }
  return known;
}

/** The federation GUIDs of every element outside the source file's models: what an inserted element must not reuse. */
export async function federationGuidsOutside(db: IModelDb, modelIds: readonly Id64String[]): Promise<Set<string>> {
  const guids = new Set<string>();
  const own = new Set(modelIds);
  const reader = db.createQueryReader('SELECT FederationGuid, Model.Id FROM BisCore.Element WHERE FederationGuid IS NOT NULL');
  for await (const row of reader) if (typeof row[0] === 'string' && !own.has(row[1] as string)) guids.add(row[0].toLowerCase());
  return guids;
}

/** The aspect that ties an element to its IFC entity. */
export function elementAspect(scope: SourceProvenance, elementId: Id64String, identifier: string, checksum: string): ExternalSourceAspectProps {
  return {
    classFullName: ExternalSourceAspect.classFullName,
    element: { id: elementId, relClassName: 'BisCore:ElementOwnsMultiAspects' },
    scope: { id: scope.linkId },
    source: { id: scope.externalSourceId },
    identifier,
    kind: ELEMENT_KIND,
    checksum,
  };
}

/** Deletes the source file's link and external source (its elements and their aspects are gone already). */
export function deleteSourceProvenance(db: IModelDb, sourceFileId: string): void {
  const { linkId, externalSourceId } = findSourceProvenance(db, sourceFileId);
  if (externalSourceId && Id64.isValidId64(externalSourceId)) db.elements.deleteElement(externalSourceId);
  if (linkId && Id64.isValidId64(linkId)) db.elements.deleteElement(linkId);
}

function isGuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
