import { folderPath } from '../../store/repositories/storage.js';
import type { StorageFileRow } from '../../store/schema.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { fileForMember } from './access.js';
import { fileFromRow, type StorageItem } from './model.js';

export async function getFile(store: Store, caller: Caller, id: string): Promise<StorageItem> {
  return presentable(store, await fileForMember(store.db, caller, id));
}

export async function presentable(store: Store, row: StorageFileRow): Promise<StorageItem> {
  return fileFromRow(row, await folderPath(store.db, row.folder_id));
}
