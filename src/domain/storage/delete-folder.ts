import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { requireMember } from '../itwins/access.js';
import { folderForMember } from './access.js';
import { removeFileContent } from './blobs.js';
import type { StorageContext } from './context.js';

/**
 * Deletes a folder with everything below it, content on disk included. An iTwin's root folder
 * cannot be deleted (it goes with the iTwin). Source files that named a deleted file stay, with the
 * file's name as their last known file name: the connection's owner decides what to do with them.
 */
export async function deleteFolder(storage: StorageContext, caller: Caller, id: string): Promise<void> {
  const folder = await folderForMember(storage.store, caller, id, 'storage_delete');
  if (folder.parentFolderId === null) throw errors.rootFolder();
  const fileIds = await storage.store.write(async (tx) => {
    if (!(await tx.storage.findFolder(folder.id))) throw errors.folderNotFound();
    await requireMember(tx, caller, folder.iTwinId, 'storage_delete');
    const ids = await tx.storage.deleteFolder(folder.id);
    if (!ids) throw errors.folderNotFound();
    return ids;
  });
  await removeFileContent(storage.blobs, fileIds);
}
