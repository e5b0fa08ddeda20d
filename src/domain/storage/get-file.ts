import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { fileForMember } from './access.js';
import { fileItem, type StorageFile, type StorageItem } from './model.js';

export async function getFile(store: Store, caller: Caller, id: string): Promise<StorageItem> {
  return presentable(store, await fileForMember(store, caller, id));
}

export async function presentable(store: Store, file: StorageFile): Promise<StorageItem> {
  return fileItem(file, await store.storage.folderPath(file.folderId));
}
