import type { Kysely } from 'kysely';
import type { Database, StorageUploadRow } from '../schema.js';

type Db = Kysely<Database>;

/** The upload of `version` of a file, created if there is none yet (a second URL for it reuses it). */
export async function ensureUpload(db: Db, fileId: string, version: number, createdAt: string, createdBy: string): Promise<void> {
  await db
    .insertInto('storage_uploads')
    .values({
      file_id: fileId,
      version,
      created_at: createdAt,
      created_by: createdBy,
      staged_name: null,
      size: null,
      content_hash: null,
      uploaded_at: null,
      completed_at: null,
    })
    .onConflict((oc) => oc.columns(['file_id', 'version']).doNothing())
    .execute();
}

export async function findUpload(db: Db, fileId: string, version: number): Promise<StorageUploadRow | undefined> {
  return db.selectFrom('storage_uploads').selectAll().where('file_id', '=', fileId).where('version', '=', version).executeTakeFirst();
}

/**
 * Records a whole body for an upload that is not completed yet, if its staged content is still
 * `previous` (compare-and-set: of two simultaneous PUTs each replaces exactly what it saw, so every
 * staged file that loses is known to the PUT that replaced it and removed).
 */
export async function recordUploadedContent(
  db: Db,
  key: { fileId: string; version: number; previous: string | null },
  content: { stagedName: string; size: number; hash: string; uploadedAt: string },
): Promise<boolean> {
  let query = db
    .updateTable('storage_uploads')
    .set({ staged_name: content.stagedName, size: content.size, content_hash: content.hash, uploaded_at: content.uploadedAt })
    .where('file_id', '=', key.fileId)
    .where('version', '=', key.version)
    .where('completed_at', 'is', null);
  query = key.previous === null ? query.where('staged_name', 'is', null) : query.where('staged_name', '=', key.previous);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks the upload completed if its staged content is still `stagedName`. */
export async function markUploadCompleted(db: Db, fileId: string, version: number, stagedName: string, completedAt: string): Promise<boolean> {
  const result = await db
    .updateTable('storage_uploads')
    .set({ completed_at: completedAt })
    .where('file_id', '=', fileId)
    .where('version', '=', version)
    .where('staged_name', '=', stagedName)
    .where('completed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
