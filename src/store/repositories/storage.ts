import type { NewFolder, StorageRepository } from '../../domain/storage/repository.js';
import type { Scope } from '../scope.js';
import { sql, type Kysely } from 'kysely';
import type { Page } from '../../domain/paging.js';
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

export async function findFolder(db: Db, id: string): Promise<StorageFolderRow | undefined> {
  return db.selectFrom('storage_folders').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFile(db: Db, id: string): Promise<StorageFileRow | undefined> {
  return db.selectFrom('storage_files').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateFile(
  db: Db,
  id: string,
  changes: Partial<Pick<StorageFileRow, 'display_name' | 'description' | 'modified_at' | 'modified_by'>>,
): Promise<void> {
  await db.updateTable('storage_files').set(changes).where('id', '=', id).execute();
}

/**
 * Makes `version` the file's current content, if the content is still at the version before it
 * (so two completes of one upload cannot both count). Returns whether it did.
 */
export async function setFileContent(
  db: Db,
  id: string,
  content: { version: number; size: number; hash: string; modifiedAt: string; modifiedBy: string },
): Promise<boolean> {
  const result = await db
    .updateTable('storage_files')
    .set({
      content_version: content.version,
      size: content.size,
      content_hash: content.hash,
      modified_at: content.modifiedAt,
      modified_by: content.modifiedBy,
    })
    .where('id', '=', id)
    .where('content_version', '=', content.version - 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteFile(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('storage_files').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Deletes the folder with every folder and file below it. Not by letting the parent_id cascade do it:
 * SQLite runs each level of a cascade as a nested trigger and stops at 1,000 levels
 * (SQLITE_MAX_TRIGGER_DEPTH), so a tree deeper than that could never be deleted, nor its iTwin. The
 * folders of the tree are first detached from their parents, then deleted together: each delete then
 * cascades only to the folder's own files (and their uploads), on both stores, at any depth.
 */
export async function deleteFolder(db: Db, id: string): Promise<boolean> {
  const ids = await folderIdsUnder(db, id);
  if (ids.length === 0) return false;
  for (const chunk of chunks(ids)) await db.updateTable('storage_folders').set({ parent_id: null }).where('id', 'in', chunk).execute();
  for (const chunk of chunks(ids)) await db.deleteFrom('storage_folders').where('id', 'in', chunk).execute();
  return true;
}

/** Every folder of an iTwin, at any depth (see deleteFolder); before the iTwin itself is deleted. */
export async function deleteFoldersOfITwin(db: Db, itwinId: string): Promise<void> {
  await db.updateTable('storage_folders').set({ parent_id: null }).where('itwin_id', '=', itwinId).execute();
  await db.deleteFrom('storage_folders').where('itwin_id', '=', itwinId).execute();
}

/** The folder's id and the ids of all folders below it. */
async function folderIdsUnder(db: Db, folderId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive below(id) as (
      select id from storage_folders where id = ${folderId}
      union all
      select f.id from storage_folders f join below b on f.parent_id = b.id
    )
    select id from below`.execute(db);
  return result.rows.map((r) => r.id);
}

/** Bound parameters per statement stay well below SQLite's and PostgreSQL's limits. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function fileIdsOfITwin(db: Db, itwinId: string): Promise<string[]> {
  return (await db.selectFrom('storage_files').select('id').where('itwin_id', '=', itwinId).execute()).map((r) => r.id);
}

/** Ids of every file in the folder and in all folders below it. */
export async function fileIdsUnderFolder(db: Db, folderId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive below(id) as (
      select id from storage_folders where id = ${folderId}
      union all
      select f.id from storage_folders f join below b on f.parent_id = b.id
    )
    select id from storage_files where folder_id in (select id from below)`.execute(db);
  return result.rows.map((r) => r.id);
}

/**
 * Display names of the folders from the one below the root down to `folderId` (the root itself has
 * no name in paths): `a/b` for a folder b in a folder a at the root.
 */
export async function folderPath(db: Db, folderId: string): Promise<string[]> {
  const result = await sql<{ display_name: string; parent_id: string | null }>`
    with recursive above(id, parent_id, display_name, depth) as (
      select id, parent_id, display_name, 0 from storage_folders where id = ${folderId}
      union all
      select f.id, f.parent_id, f.display_name, a.depth + 1 from storage_folders f join above a on f.id = a.parent_id
    )
    select display_name, parent_id from above order by depth desc`.execute(db);
  return result.rows.filter((r) => r.parent_id !== null).map((r) => r.display_name);
}

/** A folder or a file as folder listings show them. */
export interface StorageItemRow {
  type: 'folder' | 'file';
  id: string;
  itwin_id: string;
  parent_id: string;
  display_name: string;
  description: string | null;
  size: number;
  created_at: string;
  created_by: string;
  modified_at: string;
  modified_by: string;
}

/**
 * The content of a folder: folders first, then files, each oldest first (ties by id), so paging is
 * stable; one row beyond the page. `kind` narrows it to folders or files.
 */
export async function listFolderItems(db: Db, folderId: string, kind: 'all' | 'folders' | 'files', page: Page): Promise<StorageItemRow[]> {
  const folders = db
    .selectFrom('storage_folders')
    .select([
      sql<'folder' | 'file'>`'folder'`.as('type'),
      sql<number>`0`.as('sort'),
      'id',
      'itwin_id',
      sql<string>`parent_id`.as('parent_id'),
      'display_name',
      'description',
      sql<number>`0`.as('size'),
      'created_at',
      'created_by',
      sql<string>`created_at`.as('modified_at'),
      sql<string>`created_by`.as('modified_by'),
    ])
    .where('parent_id', '=', folderId);
  const files = db
    .selectFrom('storage_files')
    .select([
      sql<'folder' | 'file'>`'file'`.as('type'),
      sql<number>`1`.as('sort'),
      'id',
      'itwin_id',
      sql<string>`folder_id`.as('parent_id'),
      'display_name',
      'description',
      'size',
      'created_at',
      'created_by',
      'modified_at',
      'modified_by',
    ])
    .where('folder_id', '=', folderId);
  // Both selects yield the same columns; the cast only forgets which table the builder came from.
  const fileQuery = files as unknown as typeof folders;
  const query = kind === 'folders' ? folders : kind === 'files' ? fileQuery : folders.unionAll(fileQuery);
  const rows = await query.orderBy('sort').orderBy('created_at').orderBy('id').offset(page.skip).limit(page.top + 1).execute();
  return rows.map(({ sort: _, ...row }) => ({ ...row, size: Number(row.size) }));
}

/** StorageRepository over SQL. TODO(issue 11): the functions above become its methods. */
export class SqlStorage implements StorageRepository {
  constructor(private readonly scope: Scope) {}

  insertFolder(folder: NewFolder): Promise<void> {
    return this.scope.write((db) =>
      insertFolder(db, {
        id: folder.id,
        itwin_id: folder.iTwinId,
        parent_id: folder.parentFolderId,
        display_name: folder.displayName,
        description: folder.description,
        created_at: folder.createdAt,
        created_by: folder.createdBy,
      }),
    );
  }

  fileIdsOf(itwinId: string): Promise<string[]> {
    return fileIdsOfITwin(this.scope.db, itwinId);
  }
}
