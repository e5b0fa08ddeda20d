import { folderPath, insertFolder } from '../../store/repositories/storage.js';
import type { StorageFolderRow } from '../../store/schema.js';
import type { Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newOpaqueId } from '../ids.js';
import { folderForMember } from './access.js';
import { parseNewItem } from './item-body.js';
import { folderFromRow, type StorageItem } from './model.js';

export async function createFolder(store: Store, caller: Caller, parentId: string, body: unknown): Promise<StorageItem> {
  const parent = await folderForMember(store.db, caller, parentId);
  const input = parseNewItem(body, false, errors.invalidStorageRequest);
  const row: StorageFolderRow = {
    id: newOpaqueId(),
    itwin_id: parent.itwin_id,
    parent_id: parent.id,
    display_name: input.displayName,
    description: input.description,
    created_at: nowIso(),
    created_by: caller.subject,
  };
  await store.write(async (trx) => {
    try {
      await insertFolder(trx, row);
    } catch (error) {
      // The parent was deleted in the meantime.
      if (store.dialect.isForeignKeyViolation(error)) throw errors.folderNotFound();
      throw error;
    }
  });
  return folderFromRow(row, await folderPath(store.db, parent.id));
}
