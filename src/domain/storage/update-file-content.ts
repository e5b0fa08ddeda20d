import { findFile } from '../../store/repositories/storage.js';
import { ensureUpload } from '../../store/repositories/uploads.js';
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
  const file = await fileForMember(storage.store.db, caller, id);
  const version = await storage.store.writeSql(async (trx) => {
    const current = await findFile(trx, file.id);
    if (!current) throw errors.fileNotFound();
    const next = current.content_version + 1;
    await ensureUpload(trx, file.id, next, nowIso(), caller.subject);
    return next;
  });
  return storage.signer.grant(file.id, version);
}
