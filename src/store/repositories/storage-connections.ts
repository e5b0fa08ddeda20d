import type { Kysely } from 'kysely';
import type { Page } from '../../domain/paging.js';
import type { Database, SourceFileRow, StorageConnectionRow } from '../schema.js';

type Db = Kysely<Database>;

export async function insertConnection(db: Db, row: StorageConnectionRow, sourceFiles: SourceFileRow[]): Promise<void> {
  await db.insertInto('storage_connections').values(row).execute();
  if (sourceFiles.length > 0) await db.insertInto('source_files').values(sourceFiles).execute();
}

export async function findConnection(db: Db, id: string): Promise<StorageConnectionRow | undefined> {
  return db.selectFrom('storage_connections').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Connections oldest first (ties broken by id, so the order is total and stable under paging),
 * of one iModel or, without one, of every iTwin `subject` is a member of. One row beyond the page
 * tells whether another page exists.
 */
export async function listConnections(
  db: Db,
  filter: { imodelId?: string; subject: string },
  page: Page,
): Promise<StorageConnectionRow[]> {
  let query = db.selectFrom('storage_connections').selectAll('storage_connections');
  if (filter.imodelId !== undefined) query = query.where('storage_connections.imodel_id', '=', filter.imodelId);
  else {
    query = query.where('storage_connections.itwin_id', 'in', (q) =>
      q.selectFrom('itwin_members').select('itwin_members.itwin_id').where('itwin_members.subject', '=', filter.subject),
    );
  }
  return query
    .orderBy('storage_connections.created_at')
    .orderBy('storage_connections.id')
    .offset(page.skip)
    .limit(page.top + 1)
    .execute();
}

export async function updateConnection(
  db: Db,
  id: string,
  changes: Partial<Pick<StorageConnectionRow, 'display_name' | 'authentication_type' | 'last_run_id'>>,
): Promise<void> {
  await db.updateTable('storage_connections').set(changes).where('id', '=', id).execute();
}

/** Its source files go with it (foreign key cascade). */
export async function deleteConnection(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('storage_connections').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface SourceFileWithName extends SourceFileRow {
  /** The storage file's display name, or null once the storage file is gone. */
  display_name: string | null;
}

function sourceFilesWithNames(db: Db) {
  return db
    .selectFrom('source_files')
    .leftJoin('storage_files', 'storage_files.id', 'source_files.storage_file_id')
    .selectAll('source_files')
    .select('storage_files.display_name');
}

export async function findSourceFile(db: Db, connectionId: string, id: string): Promise<SourceFileWithName | undefined> {
  return sourceFilesWithNames(db)
    .where('source_files.connection_id', '=', connectionId)
    .where('source_files.id', '=', id)
    .executeTakeFirst();
}

export async function listSourceFiles(db: Db, connectionId: string, page?: Page): Promise<SourceFileWithName[]> {
  let query = sourceFilesWithNames(db)
    .where('source_files.connection_id', '=', connectionId)
    .orderBy('source_files.created_at')
    .orderBy('source_files.ordinal')
    .orderBy('source_files.id');
  if (page) query = query.offset(page.skip).limit(page.top + 1);
  return query.execute();
}

export async function insertSourceFile(db: Db, row: SourceFileRow): Promise<void> {
  await db.insertInto('source_files').values(row).execute();
}

export async function updateSourceFile(
  db: Db,
  id: string,
  changes: Pick<SourceFileRow, 'storage_file_id' | 'connector_type'>,
): Promise<void> {
  await db.updateTable('source_files').set(changes).where('id', '=', id).execute();
}

export async function deleteSourceFile(db: Db, connectionId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('source_files')
    .where('connection_id', '=', connectionId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
