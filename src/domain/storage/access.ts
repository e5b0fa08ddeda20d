import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { isGuid, isOpaqueId } from '../ids.js';
import { requireMember } from '../itwins/access.js';
import type { Permission } from '../roles/permissions.js';

import type { Repositories } from '../store.js';
import type { Folder, StorageFile } from './model.js';

/**
 * Storage ids are opaque (43-char base64url; older root folders are GUIDs): anything else cannot be
 * one, and is not found without asking the store (PostgreSQL refuses some characters, NUL among them).
 */
const plausible = (id: string) => isOpaqueId(id) || isGuid(id);

export async function folderForMember(
  repos: Pick<Repositories, 'storage' | 'itwins'>,
  caller: Caller,
  id: string,
  permission: Permission = 'storage_read',
): Promise<Folder> {
  const folder = plausible(id) ? await repos.storage.findFolder(id) : undefined;
  if (!folder) throw errors.folderNotFound();
  await requireMember(repos, caller, folder.iTwinId, permission);
  return folder;
}

export async function fileForMember(
  repos: Pick<Repositories, 'storage' | 'itwins'>,
  caller: Caller,
  id: string,
  permission: Permission = 'storage_read',
): Promise<StorageFile> {
  const file = plausible(id) ? await repos.storage.findFile(id) : undefined;
  if (!file) throw errors.fileNotFound();
  await requireMember(repos, caller, file.iTwinId, permission);
  return file;
}
