import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newOpaqueId } from '../ids.js';
import type { Store } from '../store.js';
import { folderForMember } from './access.js';
import { parseNewItem } from './item-body.js';
import { folderItem, type Folder, type StorageItem } from './model.js';

/**
 * How deep folders nest below an iTwin's root folder (a folder in the root is at level 1). No real
 * tree comes near it; without a bound, paths are rebuilt by walking up ever longer chains, and a
 * client could build a tree deep enough to strain the store.
 */
export const MAX_FOLDER_DEPTH = 100;

export async function createFolder(store: Store, caller: Caller, parentId: string, body: unknown): Promise<StorageItem> {
  const parent = await folderForMember(store, caller, parentId, 'storage_write');
  const input = parseNewItem(body, false, errors.invalidStorageRequest);
  // Folders never move, so the parent's depth cannot change between this check and the insert.
  const parentPath = await store.storage.folderPath(parent.id);
  if (parentPath.length + 1 > MAX_FOLDER_DEPTH) {
    throw errors.invalidStorageRequest([
      { code: 'InvalidValue', message: `Folders nest at most ${MAX_FOLDER_DEPTH} levels below the root folder.`, target: 'folderId' },
    ]);
  }
  const folder: Folder = {
    id: newOpaqueId(),
    iTwinId: parent.iTwinId,
    parentFolderId: parent.id,
    displayName: input.displayName,
    description: input.description,
    createdAt: nowIso(),
    createdBy: caller.subject,
  };
  // False: the parent was deleted in the meantime.
  if (!(await store.storage.insertFolder(folder))) throw errors.folderNotFound();
  return folderItem(folder, parentPath);
}
