import { folderPath } from '../../store/repositories/storage.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { folderForMember } from './access.js';
import { folderFromRow, type StorageItem } from './model.js';

export async function getFolder(store: Store, caller: Caller, id: string): Promise<StorageItem> {
  const folder = await folderForMember(store.db, caller, id);
  return folderFromRow(folder, folder.parent_id ? await folderPath(store.db, folder.parent_id) : []);
}
