import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { BlobStore } from '../blob-store.js';
import { removeFileContent } from '../storage/blobs.js';
import type { Store } from '../store.js';
import { itwinForMember, requireMember } from './access.js';

/**
 * Deletes an iTwin with its members, folders and files (and their content in the blob store). Refused with
 * a 409 while it still holds iModels: deleting those is a decision of its own, with its own call.
 */
export async function deleteITwin(store: Store, blobs: BlobStore, caller: Caller, id: string): Promise<void> {
  const itwin = await itwinForMember(store, caller, id, 'itwins_modify');
  const fileIds = await store.write(async (tx) => {
    // The lock orders this delete after any iModel create that got there first.
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'itwins_modify');
    if ((await tx.imodels.countIn(itwin.id)) > 0) throw errors.iTwinHasIModels();
    const ids = await tx.storage.fileIdsOf(itwin.id);
    await tx.itwins.delete(itwin.id);
    return ids;
  });
  await removeFileContent(blobs, fileIds);
}
