import type { ConnectionRepository } from '../../domain/storage-connections/repository.js';
import type { Scope } from '../scope.js';
import { sql, type Kysely } from 'kysely';
import type { Page } from '../../domain/paging.js';
import { compileOnce } from '../compiled-query.js';
import type { Database, SourceFileRow, StorageConnectionRow } from '../schema.js';

type Db = Kysely<Database>;

export interface InsertOptions {
  /**
   * Insert the connection in a WITH clause of the source files' insert: one statement, one round
   * trip. PostgreSQL only (SQLite allows no INSERT inside WITH); see StoreDialect.insertsInWith.
   */
  oneStatement?: boolean;
}

/**
 * The connection and its source files. The statements are compiled once (see compileOnce): this is
 * the hottest write of the service.
 */
export async function insertConnection(db: Db, row: StorageConnectionRow, sourceFiles: SourceFileRow[], options: InsertOptions = {}): Promise<void> {
  await insertConnections(db, [row], sourceFiles, options);
}

/** Several connections and all their source files: two statements, or one (`oneStatement`). */
export async function insertConnections(db: Db, rows: StorageConnectionRow[], sourceFiles: SourceFileRow[], options: InsertOptions = {}): Promise<void> {
  if (rows.length === 0) return;
  const connections = connectionColumns(rows);
  if (sourceFiles.length === 0) {
    await insertConnectionRows(db, connections);
    return;
  }
  const files = sourceFileColumns(sourceFiles);
  if (options.oneStatement) await insertConnectionsWithFiles(db, { ...connections, ...files });
  else {
    await insertConnectionRows(db, connections);
    await insertSourceFileRows(db, files);
  }
}

// Rows as one list per column: the shape compileOnce takes.
function connectionColumns(rows: StorageConnectionRow[]) {
  return {
    c_id: rows.map((r) => r.id),
    c_imodel_id: rows.map((r) => r.imodel_id),
    c_itwin_id: rows.map((r) => r.itwin_id),
    c_display_name: rows.map((r) => r.display_name),
    c_authentication_type: rows.map((r) => r.authentication_type),
    c_created_by: rows.map((r) => r.created_by),
    c_created_at: rows.map((r) => r.created_at),
    c_last_run_id: rows.map((r) => r.last_run_id),
  };
}
type ConnectionParams = ReturnType<typeof connectionColumns>;

function sourceFileColumns(rows: SourceFileRow[]) {
  return {
    sf_id: rows.map((r) => r.id),
    sf_connection_id: rows.map((r) => r.connection_id),
    sf_imodel_id: rows.map((r) => r.imodel_id),
    sf_storage_file_id: rows.map((r) => r.storage_file_id),
    sf_connector_type: rows.map((r) => r.connector_type),
    sf_created_at: rows.map((r) => r.created_at),
    sf_ordinal: rows.map((r) => r.ordinal ?? 0),
  };
}
type SourceFileParams = ReturnType<typeof sourceFileColumns>;

function connectionValues(p: ConnectionParams): StorageConnectionRow[] {
  return p.c_id.map((id, i) => ({
    id,
    imodel_id: p.c_imodel_id[i]!,
    itwin_id: p.c_itwin_id[i]!,
    display_name: p.c_display_name[i]!,
    authentication_type: p.c_authentication_type[i]!,
    created_by: p.c_created_by[i]!,
    created_at: p.c_created_at[i]!,
    last_run_id: p.c_last_run_id[i]!,
  }));
}

function sourceFileValues(p: SourceFileParams): SourceFileRow[] {
  return p.sf_id.map((id, i) => ({
    id,
    connection_id: p.sf_connection_id[i]!,
    imodel_id: p.sf_imodel_id[i]!,
    storage_file_id: p.sf_storage_file_id[i]!,
    connector_type: p.sf_connector_type[i]!,
    created_at: p.sf_created_at[i]!,
    ordinal: p.sf_ordinal[i]!,
  }));
}

const insertConnectionRows = compileOnce((db, p: ConnectionParams) => db.insertInto('storage_connections').values(connectionValues(p)));

const insertSourceFileRows = compileOnce((db, p: SourceFileParams) => db.insertInto('source_files').values(sourceFileValues(p)));

// The source files' foreign key is checked at the end of the statement, after both inserts.
const insertConnectionsWithFiles = compileOnce((db, p: ConnectionParams & SourceFileParams) =>
  db
    .with('connection', (q) => q.insertInto('storage_connections').values(connectionValues(p)).returning('id'))
    .insertInto('source_files')
    .values(sourceFileValues(p)),
);

export interface CreateTargets {
  /** The iModel, if it exists and `subject` is a member of its iTwin. */
  iModel?: { id: string; itwin_id: string };
  /** Of the files asked for, those that exist, are visible to `subject` and hold completed content. */
  files: { id: string; itwin_id: string }[];
}

/**
 * What creating a connection checks, in one statement instead of one per table (findVisibleIModel
 * and findUsableFiles): on PostgreSQL every statement is a round trip.
 */
export async function findCreateTargets(db: Db, subject: string, iModelId: string | undefined, fileIds: readonly string[]): Promise<CreateTargets> {
  let rows: { kind: Kind; id: string; itwin_id: string }[] = [];
  if (iModelId !== undefined && fileIds.length > 0) rows = await iModelAndFileTargets(db, { subject, iModelId, fileIds });
  else if (iModelId !== undefined) rows = await iModelTarget(db, { subject, iModelId });
  else if (fileIds.length > 0) rows = await fileTargets(db, { subject, fileIds });
  const targets: CreateTargets = { files: [] };
  for (const { kind, ...row } of rows) {
    if (kind === 'imodel') targets.iModel = row;
    else targets.files.push(row);
  }
  return targets;
}

type Kind = 'imodel' | 'file';

/** An iModel or a storage file, with a subject who may use it. */
export interface TargetRow {
  id: string;
  itwin_id: string;
  subject: string;
}

/**
 * findCreateTargets for several creates at once, in one statement: of `iModelIds`, the iModels
 * each of `subjects` can see, and of `fileIds`, the files each of them can use (a row per subject).
 */
export async function findCreateTargetsOfMany(
  db: Db,
  subjects: readonly string[],
  iModelIds: readonly string[],
  fileIds: readonly string[],
): Promise<{ iModels: TargetRow[]; files: TargetRow[] }> {
  const targets = { iModels: [] as TargetRow[], files: [] as TargetRow[] };
  if (subjects.length === 0 || iModelIds.length + fileIds.length === 0) return targets;
  // Lists padded to a power of two with an id nothing has: a handful of shapes to compile.
  const rows = await manyTargets(db, { subjects: padded(subjects), iModelIds: padded(iModelIds), fileIds: padded(fileIds) });
  for (const { kind, ...row } of rows) (kind === 'imodel' ? targets.iModels : targets.files).push(row);
  return targets;
}

function padded(values: readonly string[]): string[] {
  let size = 1;
  while (size < values.length) size *= 2;
  return [...values, ...Array<string>(size - values.length).fill('')];
}

// CROSS JOIN: SQLite then reads the named rows first. With an inner join it preferred, on a real
// database, the subject's memberships and then every file of the iTwin (31 ms against 0.4 ms for 50
// files). PostgreSQL plans a CROSS JOIN with its WHERE like any inner join.
const manyTargets = compileOnce((db, p: { subjects: readonly string[]; iModelIds: readonly string[]; fileIds: readonly string[] }) =>
  db
    .selectFrom('imodels')
    .crossJoin('itwin_members')
    .select([sql<Kind>`'imodel'`.as('kind'), 'imodels.id', 'imodels.itwin_id', 'itwin_members.subject'])
    .whereRef('itwin_members.itwin_id', '=', 'imodels.itwin_id')
    .where('imodels.id', 'in', p.iModelIds)
    .where('itwin_members.subject', 'in', p.subjects)
    .unionAll(
      db
        .selectFrom('storage_files')
        .crossJoin('itwin_members')
        .select([sql<Kind>`'file'`.as('kind'), 'storage_files.id', 'storage_files.itwin_id', 'itwin_members.subject'])
        .whereRef('itwin_members.itwin_id', '=', 'storage_files.itwin_id')
        .where('storage_files.id', 'in', p.fileIds)
        .where('itwin_members.subject', 'in', p.subjects)
        .where('storage_files.content_version', '>', 0),
    ),
);

// CROSS JOIN keeps SQLite reading the named rows first (see manyTargets).
function iModelTargetQuery(db: Db, p: { subject: string; iModelId: string }) {
  return db
    .selectFrom('imodels')
    .crossJoin('itwin_members')
    .select([sql<Kind>`'imodel'`.as('kind'), 'imodels.id', 'imodels.itwin_id'])
    .whereRef('itwin_members.itwin_id', '=', 'imodels.itwin_id')
    .where('itwin_members.subject', '=', p.subject)
    .where('imodels.id', '=', p.iModelId);
}

function fileTargetsQuery(db: Db, p: { subject: string; fileIds: readonly string[] }) {
  return db
    .selectFrom('storage_files')
    .crossJoin('itwin_members')
    .select([sql<Kind>`'file'`.as('kind'), 'storage_files.id', 'storage_files.itwin_id'])
    .whereRef('itwin_members.itwin_id', '=', 'storage_files.itwin_id')
    .where('itwin_members.subject', '=', p.subject)
    .where('storage_files.id', 'in', p.fileIds)
    .where('storage_files.content_version', '>', 0);
}

const iModelTarget = compileOnce(iModelTargetQuery);
const fileTargets = compileOnce(fileTargetsQuery);
const iModelAndFileTargets = compileOnce((db, p: { subject: string; iModelId: string; fileIds: readonly string[] }) =>
  iModelTargetQuery(db, p).unionAll(fileTargetsQuery(db, p)),
);

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

/**
 * Before storage files are deleted: every source file naming one of them keeps the file's display
 * name, which it goes on showing as its last known file name.
 */
export async function rememberFileNames(db: Db, storageFileIds: readonly string[]): Promise<void> {
  // In slices: a folder may hold more files than a statement may have parameters.
  for (let i = 0; i < storageFileIds.length; i += 500) {
    const ids = storageFileIds.slice(i, i + 500);
    await db
      .updateTable('source_files')
      .set((eb) => ({
        last_known_file_name: eb
          .selectFrom('storage_files')
          .select('storage_files.display_name')
          .whereRef('storage_files.id', '=', 'source_files.storage_file_id'),
      }))
      .where('storage_file_id', 'in', ids)
      .execute();
  }
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
  // The file it names now exists (the caller checked), so the name kept for a deleted one goes.
  await db.updateTable('source_files').set({ ...changes, last_known_file_name: null }).where('id', '=', id).execute();
}

export async function deleteSourceFile(db: Db, connectionId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('source_files')
    .where('connection_id', '=', connectionId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** ConnectionRepository over SQL. TODO(issue 11): the functions above become its methods. */
export class SqlConnections implements ConnectionRepository {
  // eslint-disable-next-line no-unused-private-class-members -- TODO(issue 11): used once the methods move in
  constructor(protected readonly scope: Scope) {}
}
