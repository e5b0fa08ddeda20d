import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { folderForMember } from './access.js';
import { parseItemChanges } from './item-body.js';
import { folderItem, type StorageItem } from './model.js';

/**
 * Renames a folder or changes its description; absent properties stay as they are, an empty body
 * changes nothing. The paths of what is inside follow the new name (they are built when read).
 */
export async function updateFolder(store: Store, caller: Caller, id: string, body: unknown): Promise<StorageItem> {
  const folder = await folderForMember(store, caller, id, 'storage_write');
  const changes = parseItemChanges(body, false);
  const updated = await store.write(async (tx) => {
    if (!(await tx.storage.findFolder(folder.id))) throw errors.folderNotFound();
    await requireMember(tx, caller, folder.iTwinId, 'storage_write');
    if (changes.displayName !== undefined || changes.description !== undefined) await tx.storage.updateFolder(folder.id, changes);
    return (await tx.storage.findFolder(folder.id))!;
  });
  return folderItem(updated, updated.parentFolderId ? await store.storage.folderPath(updated.parentFolderId) : []);
}
