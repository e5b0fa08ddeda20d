import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { findFile, setFileContent } from '../../store/repositories/storage.js';
import { findUpload, markUploadCompleted } from '../../store/repositories/uploads.js';
import type { StorageFileRow } from '../../store/schema.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { fileForMember } from './access.js';
import { blobPath, pruneOldVersions, stagedPath } from './blobs.js';
import type { StorageContext } from './context.js';
import { presentable } from './get-file.js';
import type { StorageItem } from './model.js';

const ATTEMPTS = 3;

/**
 * Makes the uploaded content the file's current version: content_version + 1, with its size and
 * SHA-256 (runs later compare hashes to process only changed files). Completing again once done is
 * answered with the file as it is, so a client may retry safely. The staged file is hard-linked to
 * its blob path before the commit; if the commit does not happen, that blob is simply overwritten
 * by the next complete of the same version, and nothing reads it before a commit names it.
 */
export async function completeFileCreation(storage: StorageContext, caller: Caller, id: string): Promise<StorageItem> {
  const file = await fileForMember(storage.store.db, caller, id);
  for (let attempt = 1; ; attempt++) {
    const current = await findFile(storage.store.db, file.id);
    if (!current) throw errors.fileNotFound();
    const version = current.content_version + 1;
    const upload = await findUpload(storage.store.db, file.id, version);
    // No upload open beyond the current version: completed already (this is a retry).
    if (!upload && current.content_version > 0) return presentable(storage.store, current);
    if (!upload?.staged_name) throw errors.fileNotUploaded();
    const staged = upload.staged_name;
    const target = blobPath(storage.dataDir, file.id, version);
    if (!(await linkInto(stagedPath(storage.dataDir, staged), target))) {
      // A newer PUT replaced (and removed) the staged file we read: read again.
      if (attempt < ATTEMPTS) continue;
      throw errors.uploadChanged();
    }
    const done = await storage.store.writeSql(async (trx): Promise<StorageFileRow | undefined> => {
      const completedAt = nowIso();
      if (!(await markUploadCompleted(trx, file.id, version, staged, completedAt))) return undefined;
      const set = await setFileContent(trx, file.id, {
        version,
        size: upload.size ?? 0,
        hash: upload.content_hash ?? '',
        modifiedAt: completedAt,
        modifiedBy: caller.subject,
      });
      if (!set) throw errors.uploadChanged();
      return findFile(trx, file.id);
    });
    if (done) {
      await fs.promises.rm(stagedPath(storage.dataDir, staged), { force: true });
      await pruneOldVersions(storage.dataDir, file.id, version);
      return presentable(storage.store, done);
    }
    if (attempt >= ATTEMPTS) throw errors.uploadChanged();
  }
}

/** Hard-links `source` to `target` atomically (replacing it); false when `source` is gone. */
async function linkInto(source: string, target: string): Promise<boolean> {
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.promises.link(source, temporary);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  await fs.promises.rename(temporary, target);
  return true;
}
