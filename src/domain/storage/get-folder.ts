import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { folderForMember } from './access.js';
import { folderItem, type StorageItem } from './model.js';

export async function getFolder(store: Store, caller: Caller, id: string): Promise<StorageItem> {
  const folder = await folderForMember(store, caller, id);
  return folderItem(folder, folder.parentFolderId ? await store.storage.folderPath(folder.parentFolderId) : []);
}
