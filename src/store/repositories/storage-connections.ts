import type { Kysely } from 'kysely';
import type { Database, SourceFileRow, StorageConnectionRow } from '../schema.js';

type Db = Kysely<Database>;

export async function insertConnection(db: Db, row: StorageConnectionRow, sourceFiles: SourceFileRow[]): Promise<void> {
  await db.insertInto('storage_connections').values(row).execute();
  if (sourceFiles.length > 0) await db.insertInto('source_files').values(sourceFiles).execute();
}

export async function findConnection(db: Db, id: string): Promise<StorageConnectionRow | undefined> {
  return db.selectFrom('storage_connections').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSourceFiles(db: Db, connectionId: string): Promise<SourceFileRow[]> {
  return db
    .selectFrom('source_files')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
