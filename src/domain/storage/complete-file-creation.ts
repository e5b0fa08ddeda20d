import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { fileForMember } from './access.js';
import { contentKey, pruneOldVersions, stagedKey } from './blobs.js';
import type { StorageContext } from './context.js';
import { discardBlocks } from './upload-blocks.js';
import { presentable } from './get-file.js';
import type { StorageFile, StorageItem } from './model.js';

const ATTEMPTS = 3;

/**
 * Makes the uploaded content the file's current version: content_version + 1, with its size and
 * SHA-256 (runs later compare hashes to process only changed files). Completing again once done is
 * answered with the file as it is, so a client may retry safely. The staged blob is copied to the
 * version's key before the commit (a hard link in a local folder, a server-side copy in an object
 * store); if the commit does not happen, that blob is simply overwritten by the next complete of
 * the same version, and nothing reads it before a commit names it.
 */
export async function completeFileCreation(storage: StorageContext, caller: Caller, id: string): Promise<StorageItem> {
  const file = await fileForMember(storage.store, caller, id, 'storage_write');
  for (let attempt = 1; ; attempt++) {
    const current = await storage.store.storage.findFile(file.id);
    if (!current) throw errors.fileNotFound();
    const version = current.contentVersion + 1;
    const upload = await storage.store.storage.findUpload(file.id, version);
    // No upload open beyond the current version: completed already (this is a retry).
    if (!upload && current.contentVersion > 0) return presentable(storage.store, current);
    if (!upload?.stagedName) throw errors.fileNotUploaded();
    const staged = upload.stagedName;
    if (!(await storage.blobs.copy(stagedKey(staged), contentKey(file.id, version)))) {
      // A newer PUT replaced (and removed) the staged file we read: read again.
      if (attempt < ATTEMPTS) continue;
      throw errors.uploadChanged();
    }
    const done = await storage.store.write(async (tx): Promise<StorageFile | undefined> => {
      const completedAt = nowIso();
      if (!(await tx.storage.completeUpload(file.id, version, staged, completedAt))) return undefined;
      const set = await tx.storage.setFileContent(file.id, {
        version,
        size: upload.size ?? 0,
        hash: upload.contentHash ?? '',
        modifiedAt: completedAt,
        modifiedBy: caller.subject,
      });
      if (!set) throw errors.uploadChanged();
      return tx.storage.findFile(file.id);
    });
    if (done) {
      await storage.blobs.delete([stagedKey(staged)]);
      await pruneOldVersions(storage.blobs, file.id, version);
      // The upload is closed: its committed block list and any block sent since can never be used.
      await discardBlocks(storage.blobs, file.id, version);
      return presentable(storage.store, done);
    }
    if (attempt >= ATTEMPTS) throw errors.uploadChanged();
  }
}
