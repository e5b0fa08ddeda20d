import type { IModelUser } from '../../domain/imodels/imodel-users.js';
import type { Checkpoint } from '../../domain/versions/checkpoints.js';
import type { Changeset, NamedVersion } from '../../domain/versions/model.js';
import { imodelUrl } from './imodel.js';

/**
 * Versions in the iModels API's shapes (docs/versions.md). Links follow the paths its client parses
 * (`/iModels/{id}/changesets/{id or index}`, `/namedversions/{id}`, `/users/{id}`), case aside.
 */
export function userUrl(publicUrl: string, iModelId: string, userId: string): string {
  return `${imodelUrl(publicUrl, iModelId)}/users/${encodeURIComponent(userId)}`;
}

export function changesetUrl(publicUrl: string, iModelId: string, idOrIndex: string | number): string {
  return `${imodelUrl(publicUrl, iModelId)}/changesets/${idOrIndex}`;
}

export function namedVersionUrl(publicUrl: string, iModelId: string, id: string): string {
  return `${imodelUrl(publicUrl, iModelId)}/namedversions/${id}`;
}

/** twinsync writes no changeset files (a changeset file needs a briefcase): size 0, no download link. */
export function presentMinimalChangeset(publicUrl: string, c: Changeset) {
  return {
    id: c.id,
    displayName: String(c.index),
    description: c.description,
    index: c.index,
    parentId: c.parentId,
    creatorId: c.creatorId,
    pushDateTime: c.pushedAt,
    state: 'fileUploaded',
    containingChanges: c.containingChanges,
    fileSize: 0,
    // The first briefcase id iModelHub hands out; twinsync's connectors push through none.
    briefcaseId: 2,
    groupId: null,
    _links: {
      self: { href: changesetUrl(publicUrl, c.iModelId, c.id) },
      creator: { href: userUrl(publicUrl, c.iModelId, c.creatorId) },
    },
  };
}

export function presentChangeset(publicUrl: string, c: Changeset, namedVersion: NamedVersion | undefined) {
  const minimal = presentMinimalChangeset(publicUrl, c);
  return {
    ...minimal,
    application: c.application,
    synchronizationInfo: { taskId: c.taskId, changedFiles: c.changedFiles },
    _links: {
      ...minimal._links,
      namedVersion: namedVersion ? { href: namedVersionUrl(publicUrl, c.iModelId, namedVersion.id) } : null,
      // Answers the current-or-preceding checkpoint, whichever changeset's it is.
      currentOrPrecedingCheckpoint: { href: `${changesetUrl(publicUrl, c.iModelId, c.index)}/checkpoint` },
      download: null,
      upload: null,
      complete: null,
    },
  };
}

/** Named versions are created through twinsync's own API: it is their application. */
export const TWINSYNC_APPLICATION = { id: 'twinsync', name: 'twinsync' } as const;

export function presentMinimalNamedVersion(v: NamedVersion) {
  return { id: v.id, displayName: v.name, changesetId: v.changesetId, changesetIndex: v.changesetIndex };
}

export function presentNamedVersion(publicUrl: string, v: NamedVersion) {
  return {
    ...presentMinimalNamedVersion(v),
    name: v.name,
    description: v.description,
    createdDateTime: v.createdAt,
    state: v.state,
    application: TWINSYNC_APPLICATION,
    _links: {
      creator: { href: userUrl(publicUrl, v.iModelId, v.creatorId) },
      changeset: v.changesetId ? { href: changesetUrl(publicUrl, v.iModelId, v.changesetId) } : null,
    },
  };
}

export function checkpointFileUrl(publicUrl: string, iModelId: string, changesetIndex: number, grant: { expires: number; signature: string }): string {
  return `${imodelUrl(publicUrl, iModelId)}/checkpoints/${changesetIndex}/file?expires=${grant.expires}&signature=${grant.signature}`;
}

export function presentCheckpoint(publicUrl: string, c: Checkpoint) {
  return {
    changesetId: c.changesetId,
    changesetIndex: c.changesetIndex,
    size: c.size,
    state: c.state,
    dbName: `${c.changesetIndex}.bim`,
    // Downloaded whole from the link, never in blocks.
    directoryAccessInfo: null,
    _links: { download: c.download ? { href: checkpointFileUrl(publicUrl, c.iModelId, c.changesetIndex, c.download) } : null },
  };
}

export function presentMinimalUser(publicUrl: string, iModelId: string, u: IModelUser) {
  return { id: u.id, displayName: u.id, _links: { self: { href: userUrl(publicUrl, iModelId, u.id) } } };
}

/** Users are known by their token's subject alone: no given name or surname; the email when the subject is one. */
export function presentUser(publicUrl: string, iModelId: string, u: IModelUser) {
  return {
    ...presentMinimalUser(publicUrl, iModelId, u),
    givenName: '',
    surname: '',
    email: u.id.includes('@') ? u.id : '',
    statistics: {
      pushedChangesetsCount: u.pushedChangesetsCount,
      lastChangesetPushDate: u.lastChangesetPushDate,
      createdVersionsCount: u.createdVersionsCount,
      briefcasesCount: 0,
      applications: [],
    },
  };
}
