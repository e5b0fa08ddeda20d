import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { Page } from '../../domain/paging.js';
import type { Folder, ListedItem, ListKind, StorageFile, Upload } from '../../domain/storage/model.js';
import type { FileContent, StorageRepository } from '../../domain/storage/repository.js';
import { sortsAfter } from '../keyset.js';
import type { Scope } from '../scope.js';
import type { Database, StorageFileRow, StorageFolderRow } from '../schema.js';
import { SqlUploads } from './uploads.js';

type Db = Kysely<Database>;

/** Folders, files and (through SqlUploads) uploads in progress over SQL. */
export class SqlStorage implements StorageRepository {
  private readonly uploads: SqlUploads;

  constructor(private readonly scope: Scope) {
    this.uploads = new SqlUploads(scope);
  }

  async findFolder(id: string): Promise<Folder | undefined> {
    const row = await this.scope.db.selectFrom('storage_folders').selectAll().where('id', '=', id).executeTakeFirst();
    return row && folderFromRow(row);
  }

  insertFolder(folder: Folder): Promise<boolean> {
    return this.insertUnlessParentGone(async (db) => {
      await db.insertInto('storage_folders').values(folderRowOf(folder)).execute();
    });
  }

  async folderPath(folderId: string): Promise<string[]> {
    const result = await sql<{ display_name: string; parent_id: string | null }>`
      with recursive above(id, parent_id, display_name, depth) as (
        select id, parent_id, display_name, 0 from storage_folders where id = ${folderId}
        union all
        select f.id, f.parent_id, f.display_name, a.depth + 1 from storage_folders f join above a on f.id = a.parent_id
      )
      select display_name, parent_id from above order by depth desc`.execute(this.scope.db);
    return result.rows.filter((r) => r.parent_id !== null).map((r) => r.display_name);
  }

  async listFolder(folderId: string, kind: ListKind, page: Page): Promise<ListedItem[]> {
    const db = this.scope.db;
    // Folders and files in one union, so that one query pages through both: the columns a folder
    // does not have are null.
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
        sql<number>`0`.as('content_version'),
        sql<string | null>`cast(null as text)`.as('content_hash'),
        'created_at',
        'created_by',
        sql<string | null>`cast(null as text)`.as('modified_at'),
        sql<string | null>`cast(null as text)`.as('modified_by'),
      ])
      .where('parent_id', '=', folderId)
      .$call((q) => afterIn(q, 0, page));
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
        'content_version',
        'content_hash',
        'created_at',
        'created_by',
        'modified_at',
        'modified_by',
      ])
      .where('folder_id', '=', folderId)
      .$call((q) => afterIn(q, 1, page));
    // Both selects yield the same columns; the cast only forgets which table the builder came from.
    const fileQuery = files as unknown as typeof folders;
    const query = kind === 'folders' ? folders : kind === 'files' ? fileQuery : folders.unionAll(fileQuery);
    const rows = await query
      .orderBy('sort')
      .orderBy('created_at')
      .orderBy('id')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map((row): ListedItem => {
      const common = {
        id: row.id,
        itwin_id: row.itwin_id,
        display_name: row.display_name,
        description: row.description,
        created_at: row.created_at,
        created_by: row.created_by,
      };
      if (row.type === 'folder') return { type: 'folder', folder: folderFromRow({ ...common, parent_id: row.parent_id }) };
      return {
        type: 'file',
        file: fileFromRow({
          ...common,
          folder_id: row.parent_id,
          size: row.size,
          content_version: row.content_version,
          content_hash: row.content_hash,
          modified_at: row.modified_at!,
          modified_by: row.modified_by!,
        }),
      };
    });
  }

  /**
   * Not by letting the parent_id cascade do it: SQLite runs each level of a cascade as a nested
   * trigger and stops at 1,000 levels (SQLITE_MAX_TRIGGER_DEPTH), so a tree deeper than that could
   * never be deleted, nor its iTwin. The folders of the tree are first detached from their parents,
   * then deleted together: each delete then cascades only to the folder's own files (and their
   * uploads), on both stores, at any depth.
   */
  deleteFolder(id: string): Promise<string[] | undefined> {
    return this.scope.write(async (db) => {
      const folderIds = await folderIdsUnder(db, id);
      if (folderIds.length === 0) return undefined;
      const fileIds = await fileIdsUnderFolder(db, id);
      await rememberFileNames(db, fileIds);
      for (const chunk of chunks(folderIds)) await db.updateTable('storage_folders').set({ parent_id: null }).where('id', 'in', chunk).execute();
      for (const chunk of chunks(folderIds)) await db.deleteFrom('storage_folders').where('id', 'in', chunk).execute();
      return fileIds;
    });
  }

  async findFile(id: string): Promise<StorageFile | undefined> {
    const row = await this.scope.db.selectFrom('storage_files').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fileFromRow(row);
  }

  insertFile(file: StorageFile): Promise<boolean> {
    return this.insertUnlessParentGone(async (db) => {
      await db.insertInto('storage_files').values(fileRowOf(file)).execute();
    });
  }

  updateFolder(id: string, changes: { displayName?: string; description?: string | null }): Promise<void> {
    return this.scope.write(async (db) => {
      await db.updateTable('storage_folders').set({ display_name: changes.displayName, description: changes.description }).where('id', '=', id).execute();
    });
  }

  updateFile(id: string, changes: { displayName?: string; description?: string | null; modifiedAt: string; modifiedBy: string }): Promise<void> {
    return this.scope.write(async (db) => {
      await db
        .updateTable('storage_files')
        .set({ display_name: changes.displayName, description: changes.description, modified_at: changes.modifiedAt, modified_by: changes.modifiedBy })
        .where('id', '=', id)
        .execute();
    });
  }

  setFileContent(id: string, content: FileContent): Promise<boolean> {
    return this.scope.write(async (db) => {
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
    });
  }

  deleteFile(id: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      await rememberFileNames(db, [id]);
      const result = await db.deleteFrom('storage_files').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async fileIdsOf(itwinId: string): Promise<string[]> {
    return (await this.scope.db.selectFrom('storage_files').select('id').where('itwin_id', '=', itwinId).execute()).map((r) => r.id);
  }

  openUpload(upload: { fileId: string; version: number; createdAt: string; createdBy: string }): Promise<void> {
    return this.uploads.open(upload);
  }

  findUpload(fileId: string, version: number): Promise<Upload | undefined> {
    return this.uploads.find(fileId, version);
  }

  recordUploadedContent(
    key: { fileId: string; version: number; previous: string | null },
    content: { stagedName: string; size: number; hash: string; uploadedAt: string },
  ): Promise<boolean> {
    return this.uploads.recordContent(key, content);
  }

  completeUpload(fileId: string, version: number, stagedName: string, completedAt: string): Promise<boolean> {
    return this.uploads.complete(fileId, version, stagedName, completedAt);
  }

  /**
   * False when the insert names a folder (or iTwin) that is gone. The violation fails the write
   * itself (it is not caught inside it): outside a transaction the batcher then rolls back only
   * this write, where a caught one would leave a PostgreSQL batch aborted.
   */
  private async insertUnlessParentGone(insert: (db: Db) => Promise<void>): Promise<boolean> {
    try {
      await this.scope.write(insert);
      return true;
    } catch (error) {
      if (this.scope.dialect.isForeignKeyViolation(error)) return false;
      throw error;
    }
  }
}

/**
 * Before storage files are deleted: every source file naming one of them keeps the file's display
 * name, which it goes on showing as its last known file name. A file already gone leaves the name
 * remembered when it went.
 */
async function rememberFileNames(db: Db, storageFileIds: readonly string[]): Promise<void> {
  // In slices: a folder may hold more files than a statement may have parameters.
  for (const ids of chunks(storageFileIds)) {
    await db
      .updateTable('source_files')
      .set((eb) => ({
        last_known_file_name: eb.fn.coalesce(
          eb.selectFrom('storage_files').select('storage_files.display_name').whereRef('storage_files.id', '=', 'source_files.storage_file_id'),
          eb.ref('source_files.last_known_file_name'),
        ),
      }))
      .where('storage_file_id', 'in', ids)
      .execute();
  }
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

/** Ids of every file in the folder and in all folders below it. */
async function fileIdsUnderFolder(db: Db, folderId: string): Promise<string[]> {
  const result = await sql<{ id: string }>`
    with recursive below(id) as (
      select id from storage_folders where id = ${folderId}
      union all
      select f.id from storage_folders f join below b on f.parent_id = b.id
    )
    select id from storage_files where folder_id in (select id from below)`.execute(db);
  return result.rows.map((r) => r.id);
}

/** Bound parameters per statement stay well below SQLite's and PostgreSQL's limits. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function folderRowOf(folder: Folder): StorageFolderRow {
  return {
    id: folder.id,
    itwin_id: folder.iTwinId,
    parent_id: folder.parentFolderId,
    display_name: folder.displayName,
    description: folder.description,
    created_at: folder.createdAt,
    created_by: folder.createdBy,
  };
}

function folderFromRow(row: StorageFolderRow): Folder {
  return {
    id: row.id,
    iTwinId: row.itwin_id,
    parentFolderId: row.parent_id,
    displayName: row.display_name,
    description: row.description,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

function fileRowOf(file: StorageFile): StorageFileRow {
  return {
    id: file.id,
    itwin_id: file.iTwinId,
    folder_id: file.folderId,
    display_name: file.displayName,
    description: file.description,
    size: file.size,
    content_version: file.contentVersion,
    content_hash: file.contentHash,
    created_at: file.createdAt,
    created_by: file.createdBy,
    modified_at: file.modifiedAt,
    modified_by: file.modifiedBy,
  };
}

function fileFromRow(row: StorageFileRow): StorageFile {
  return {
    id: row.id,
    iTwinId: row.itwin_id,
    folderId: row.folder_id,
    displayName: row.display_name,
    description: row.description,
    size: Number(row.size),
    contentVersion: row.content_version,
    contentHash: row.content_hash,
    createdAt: row.created_at,
    createdBy: row.created_by,
    modifiedAt: row.modified_at,
    modifiedBy: row.modified_by,
  };
}

/**
 * Where a keyset page starts in one of the two halves of a folder's listing (0: folders, 1: files),
 * whose sort key is (half, created_at, id): all of a half after the one the key is in, nothing of a
 * half before it, and what sorts after the key in its own half.
 */
function afterIn<Q extends { where(condition: Expression<SqlBool>): Q }>(query: Q, half: 0 | 1, page: Page): Q {
  const after = page.continuation?.after;
  if (!after || Number(after[0]) < half) return query;
  if (Number(after[0]) > half) return query.where(sql<SqlBool>`1 = 0`);
  return query.where(sortsAfter(['created_at', 'id'], after.slice(1)));
}
