import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid, newOpaqueId } from '../ids.js';
import type { Store } from '../store.js';
import { DEFAULT_DATA_CENTER, type ExtraField, type ITwin } from './model.js';

export interface NewITwin {
  displayName: string;
  /** Defaults: Endeavor / Project (only callers inside twinsync omit them; the API requires both). */
  class?: string;
  subClass?: string;
  status?: string;
  type?: string;
  number?: string;
  parentId?: string;
  extra?: Partial<Record<ExtraField, string>>;
}

/**
 * Creates an iTwin with its storage root folder; the creator becomes its first member. A parent
 * iTwin must be one the creator is a member of (otherwise `parentId` is "not valid").
 */
export async function createITwin(store: Store, subject: string, input: NewITwin): Promise<ITwin> {
  const createdAt = nowIso();
  const id = newGuid();
  const itwin: ITwin = {
    id,
    displayName: input.displayName,
    class: input.class ?? 'Endeavor',
    subClass: input.subClass ?? 'Project',
    type: input.type ?? null,
    // The iTwins API: an iTwin created without a number gets its id as number.
    number: input.number ?? id,
    status: input.status ?? 'Active',
    parentId: input.parentId ?? null,
    extra: { dataCenterLocation: DEFAULT_DATA_CENTER, ...input.extra },
    // Storage ids have the shape of Bentley's (43-char base64url), folders as files.
    rootFolderId: newOpaqueId(),
    createdAt,
    createdBy: subject,
  };
  await store.write(async (tx) => {
    if (input.parentId) {
      const parent = await tx.itwins.find(input.parentId);
      if (!parent || !(await tx.itwins.isMember(parent.id, subject))) {
        throw errors.invalidITwinRequest([{ code: 'InvalidValue', message: 'Provided parentId value is not valid.', target: 'parentId' }]);
      }
    }
    await tx.itwins.insert(itwin);
    await tx.storage.insertFolder({
      id: itwin.rootFolderId,
      iTwinId: itwin.id,
      parentFolderId: null,
      displayName: 'Root',
      description: null,
      createdAt,
      createdBy: subject,
    });
    // The creator is the iTwin's first owner (docs/access-control.md).
    await tx.itwins.addMember({ iTwinId: itwin.id, userId: subject, createdAt, owner: true });
  });
  return itwin;
}
