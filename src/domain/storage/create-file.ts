import { insertFile } from '../../store/repositories/storage.js';
import { ensureUpload } from '../../store/repositories/uploads.js';
import type { StorageFileRow } from '../../store/schema.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newOpaqueId } from '../ids.js';
import { folderForMember } from './access.js';
import type { StorageContext } from './context.js';
import { parseNewItem } from './item-body.js';
import type { UploadGrant } from './upload-signing.js';

/**
 * First of the three steps of a file: its metadata, and a signed URL to upload version 1 of its
 * content to. The file exists from here on (size 0), but only `complete` makes it usable as a
 * source file.
 */
export async function createFile(storage: StorageContext, caller: Caller, folderId: string, body: unknown): Promise<UploadGrant> {
  const folder = await folderForMember(storage.store.db, caller, folderId);
  const input = parseNewItem(body, true, errors.invalidCreateFileRequest);
  const now = nowIso();
  const row: StorageFileRow = {
    id: newOpaqueId(),
    itwin_id: folder.itwin_id,
    folder_id: folder.id,
    display_name: input.displayName,
    description: input.description,
    size: 0,
    content_version: 0,
    content_hash: null,
    created_at: now,
    created_by: caller.subject,
    modified_at: now,
    modified_by: caller.subject,
  };
  await storage.store.writeSql(async (trx) => {
    try {
      await insertFile(trx, row);
    } catch (error) {
      if (storage.store.dialect.isForeignKeyViolation(error)) throw errors.folderNotFound();
      throw error;
    }
    await ensureUpload(trx, row.id, 1, now, caller.subject);
  });
  return storage.signer.grant(row.id, 1);
}
