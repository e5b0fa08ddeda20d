import type { Kysely } from 'kysely';
import type { Database, StorageFileRow, StorageFolderRow } from '../schema.js';

type Db = Kysely<Database>;

export async function insertFolder(db: Db, row: StorageFolderRow): Promise<void> {
  await db.insertInto('storage_folders').values(row).execute();
}

export async function insertFile(db: Db, row: StorageFileRow): Promise<void> {
  await db.insertInto('storage_files').values(row).execute();
}

/** Of `ids`, the files that exist, are visible to `subject` and hold completed content. */
export async function findUsableFiles(
  db: Db,
  ids: readonly string[],
  subject: string,
): Promise<Pick<StorageFileRow, 'id' | 'itwin_id' | 'display_name'>[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('storage_files')
    .innerJoin('itwin_members', (j) =>
      j.onRef('itwin_members.itwin_id', '=', 'storage_files.itwin_id').on('itwin_members.subject', '=', subject),
    )
    .select(['storage_files.id', 'storage_files.itwin_id', 'storage_files.display_name'])
    .where('storage_files.id', 'in', ids)
    .where('storage_files.content_version', '>', 0)
    .execute();
}
