import { countIModels } from '../../store/repositories/imodels.js';
import { deleteITwin as deleteRow, lockITwin } from '../../store/repositories/itwins.js';
import { deleteFoldersOfITwin, fileIdsOfITwin } from '../../store/repositories/storage.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { removeFileContent } from '../storage/blobs.js';
import { itwinForMember, requireMember } from './access.js';

/**
 * Deletes an iTwin with its members, folders and files (and their content on disk). Refused with
 * a 409 while it still holds iModels: deleting those is a decision of its own, with its own call.
 */
export async function deleteITwin(store: Store, dataDir: string, caller: Caller, id: string): Promise<void> {
  const itwin = await itwinForMember(store.db, caller, id);
  const fileIds = await store.writeSql(async (trx) => {
    // The lock orders this delete after any iModel create that got there first (see lockITwin).
    if (!(await lockITwin(trx, itwin.id))) throw errors.iTwinNotFound();
    await requireMember(trx, caller, itwin.id);
    if ((await countIModels(trx, itwin.id)) > 0) throw errors.iTwinHasIModels();
    const ids = await fileIdsOfITwin(trx, itwin.id);
    // Folders first, at any depth: a cascade through a deep tree fails on SQLite (see deleteFoldersOfITwin).
    await deleteFoldersOfITwin(trx, itwin.id);
    await deleteRow(trx, itwin.id);
    return ids;
  });
  await removeFileContent(dataDir, fileIds);
}
