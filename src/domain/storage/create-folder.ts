import { folderPath, insertFolder } from '../../store/repositories/storage.js';
import type { StorageFolderRow } from '../../store/schema.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newOpaqueId } from '../ids.js';
import { folderForMember } from './access.js';
import { parseNewItem } from './item-body.js';
import { folderFromRow, type StorageItem } from './model.js';

/**
 * How deep folders nest below an iTwin's root folder (a folder in the root is at level 1). No real
 * tree comes near it; without a bound, paths are rebuilt by walking up ever longer chains, and a
 * client could build a tree deep enough to strain the store.
 */
export const MAX_FOLDER_DEPTH = 100;

export async function createFolder(store: Store, caller: Caller, parentId: string, body: unknown): Promise<StorageItem> {
  const parent = await folderForMember(store.db, caller, parentId);
  const input = parseNewItem(body, false, errors.invalidStorageRequest);
  // Folders never move, so the parent's depth cannot change between this check and the insert.
  const parentPath = await folderPath(store.db, parent.id);
  if (parentPath.length + 1 > MAX_FOLDER_DEPTH) {
    throw errors.invalidStorageRequest([
      { code: 'InvalidValue', message: `Folders nest at most ${MAX_FOLDER_DEPTH} levels below the root folder.`, target: 'folderId' },
    ]);
  }
  const row: StorageFolderRow = {
    id: newOpaqueId(),
    itwin_id: parent.itwin_id,
    parent_id: parent.id,
    display_name: input.displayName,
    description: input.description,
    created_at: nowIso(),
    created_by: caller.subject,
  };
  await store.writeSql(async (trx) => {
    try {
      await insertFolder(trx, row);
    } catch (error) {
      // The parent was deleted in the meantime.
      if (store.dialect.isForeignKeyViolation(error)) throw errors.folderNotFound();
      throw error;
    }
  });
  return folderFromRow(row, parentPath);
}
