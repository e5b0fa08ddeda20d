import type { Upload } from '../../domain/storage/model.js';
import type { Scope } from '../scope.js';
import type { StorageUploadRow } from '../schema.js';

/** Uploads in progress over SQL: the part of StorageRepository that SqlStorage hands over to it. */
export class SqlUploads {
  constructor(private readonly scope: Scope) {}

  open(upload: { fileId: string; version: number; createdAt: string; createdBy: string }): Promise<void> {
    return this.scope.write(async (db) => {
      await db
        .insertInto('storage_uploads')
        .values({
          file_id: upload.fileId,
          version: upload.version,
          created_at: upload.createdAt,
          created_by: upload.createdBy,
          staged_name: null,
          size: null,
          content_hash: null,
          uploaded_at: null,
          completed_at: null,
        })
        .onConflict((oc) => oc.columns(['file_id', 'version']).doNothing())
        .execute();
    });
  }

  async find(fileId: string, version: number): Promise<Upload | undefined> {
    const row = await this.scope.db.selectFrom('storage_uploads').selectAll().where('file_id', '=', fileId).where('version', '=', version).executeTakeFirst();
    return row && uploadFromRow(row);
  }

  recordContent(
    key: { fileId: string; version: number; previous: string | null },
    content: { stagedName: string; size: number; hash: string; uploadedAt: string },
  ): Promise<boolean> {
    return this.scope.write(async (db) => {
      let query = db
        .updateTable('storage_uploads')
        .set({ staged_name: content.stagedName, size: content.size, content_hash: content.hash, uploaded_at: content.uploadedAt })
        .where('file_id', '=', key.fileId)
        .where('version', '=', key.version)
        .where('completed_at', 'is', null);
      query = key.previous === null ? query.where('staged_name', 'is', null) : query.where('staged_name', '=', key.previous);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
  }

  complete(fileId: string, version: number, stagedName: string, completedAt: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      const result = await db
        .updateTable('storage_uploads')
        .set({ completed_at: completedAt })
        .where('file_id', '=', fileId)
        .where('version', '=', version)
        .where('staged_name', '=', stagedName)
        .where('completed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
  }
}

function uploadFromRow(row: StorageUploadRow): Upload {
  return {
    fileId: row.file_id,
    version: row.version,
    createdAt: row.created_at,
    createdBy: row.created_by,
    stagedName: row.staged_name,
    size: row.size,
    contentHash: row.content_hash,
    uploadedAt: row.uploaded_at,
    completedAt: row.completed_at,
  };
}
