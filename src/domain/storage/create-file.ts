import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newOpaqueId } from '../ids.js';
import { folderForMember } from './access.js';
import type { StorageContext } from './context.js';
import { parseNewItem } from './item-body.js';
import type { StorageFile } from './model.js';
import type { UploadGrant } from './upload-signing.js';

/**
 * First of the three steps of a file: its metadata, and a signed URL to upload version 1 of its
 * content to. The file exists from here on (size 0), but only `complete` makes it usable as a
 * source file.
 */
export async function createFile(storage: StorageContext, caller: Caller, folderId: string, body: unknown): Promise<UploadGrant> {
  const folder = await folderForMember(storage.store, caller, folderId, 'storage_write');
  const input = parseNewItem(body, true, errors.invalidCreateFileRequest);
  const now = nowIso();
  const file: StorageFile = {
    id: newOpaqueId(),
    iTwinId: folder.iTwinId,
    folderId: folder.id,
    displayName: input.displayName,
    description: input.description,
    size: 0,
    contentVersion: 0,
    contentHash: null,
    createdAt: now,
    createdBy: caller.subject,
    modifiedAt: now,
    modifiedBy: caller.subject,
  };
  await storage.store.write(async (tx) => {
    // False: the folder was deleted in the meantime.
    if (!(await tx.storage.insertFile(file))) throw errors.folderNotFound();
    await tx.storage.openUpload({ fileId: file.id, version: 1, createdAt: now, createdBy: caller.subject });
  });
  return storage.signer.grant(file.id, 1);
}
