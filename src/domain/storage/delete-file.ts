import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { fileForMember } from './access.js';
import { removeFileContent } from './blobs.js';
import type { StorageContext } from './context.js';

/** Deletes a file with its uploads and content on disk; source files naming it keep its name. */
export async function deleteFile(storage: StorageContext, caller: Caller, id: string): Promise<void> {
  const file = await fileForMember(storage.store, caller, id, 'storage_delete');
  if (!(await storage.store.storage.deleteFile(file.id))) throw errors.fileNotFound();
  await removeFileContent(storage.blobs, [file.id]);
}
