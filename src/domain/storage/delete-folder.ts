import { rememberFileNames } from '../../store/repositories/storage-connections.js';
import { deleteFolder as deleteRow, fileIdsUnderFolder, findFolder } from '../../store/repositories/storage.js';
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
  const folder = await folderForMember(storage.store.db, caller, id);
  if (folder.parent_id === null) throw errors.rootFolder();
  const fileIds = await storage.store.writeSql(async (trx) => {
    if (!(await findFolder(trx, folder.id))) throw errors.folderNotFound();
    await requireMember(trx, caller, folder.itwin_id);
    const ids = await fileIdsUnderFolder(trx, folder.id);
    await rememberFileNames(trx, ids);
    await deleteRow(trx, folder.id);
    return ids;
  });
  await removeFileContent(storage.dataDir, fileIds);
}
