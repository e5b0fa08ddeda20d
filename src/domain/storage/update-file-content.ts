import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { fileForMember } from './access.js';
import type { StorageContext } from './context.js';
import type { UploadGrant } from './upload-signing.js';

/**
 * New upload and complete URLs for the next content version. Until that upload is completed the
 * current content stays the file's content; asking again before then gives a fresh URL for the
 * same version.
 */
export async function updateFileContent(storage: StorageContext, caller: Caller, id: string): Promise<UploadGrant> {
  const file = await fileForMember(storage.store, caller, id, 'storage_write');
  const version = await storage.store.write(async (tx) => {
    const current = await tx.storage.findFile(file.id);
    if (!current) throw errors.fileNotFound();
    const next = current.contentVersion + 1;
    await tx.storage.openUpload({ fileId: file.id, version: next, createdAt: nowIso(), createdBy: caller.subject });
    return next;
  });
  return storage.signer.grant(file.id, version);
}
