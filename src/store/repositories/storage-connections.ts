import type { MemberAccess } from '../../domain/roles/permissions.js';
import { sql, type Kysely } from 'kysely';
import type { Page } from '../../domain/paging.js';
import type { SourceFile, SourceFileMapping } from '../../domain/source-files/model.js';
import type { AuthenticationType, ConnectionKind, StorageConnection } from '../../domain/storage-connections/model.js';
import type { ConnectionRepository, CreateDecision, CreateLookup, CreateOutcome, CreateTargets } from '../../domain/storage-connections/repository.js';
import { compileOnce } from '../compiled-query.js';
import type { StoreDialect } from '../dialect.js';
import { sortsAfter } from '../keyset.js';
import type { Scope } from '../scope.js';
import type { Database, SourceFileRow, StorageConnectionRow } from '../schema.js';
import type { Coalesced, Outcome } from '../write-batcher.js';

type Db = Kysely<Database>;

/** Storage connections and their source files over SQL. */
export class SqlConnections implements ConnectionRepository {
  constructor(private readonly scope: Scope) {}

  async find(id: string): Promise<StorageConnection | undefined> {
    const row = await this.scope.db.selectFrom('storage_connections').selectAll().where('id', '=', id).executeTakeFirst();
    return row && connectionFromRow(row);
  }

  async list(filter: { iModelId?: string; subject: string; kind?: ConnectionKind }, page: Page): Promise<StorageConnection[]> {
    let query = this.scope.db.selectFrom('storage_connections').selectAll('storage_connections');
    if (filter.kind !== undefined) query = query.where('storage_connections.kind', '=', filter.kind);
    if (filter.iModelId !== undefined) query = query.where('storage_connections.imodel_id', '=', filter.iModelId);
    else {
      query = query.where('storage_connections.itwin_id', 'in', (q) =>
        q.selectFrom('itwin_members').select('itwin_members.itwin_id').where('itwin_members.subject', '=', filter.subject),
      );
    }
    if (page.continuation) query = query.where(sortsAfter(['storage_connections.created_at', 'storage_connections.id'], page.continuation.after));
    const rows = await query
      .orderBy('storage_connections.created_at')
      .orderBy('storage_connections.id')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(connectionFromRow);
  }

  findCreateTargets(lookup: CreateLookup): Promise<CreateTargets> {
    return findTargets(this.scope.db, lookup);
  }

  async create<R extends CreateRequest>(request: R, decide: (request: R, found: CreateTargets) => CreateDecision): Promise<CreateOutcome> {
    try {
      return await this.scope.writeCoalesced(CREATE, { request, decide: decide as Decide, dialect: this.scope.dialect });
    } catch (error) {
      if (error instanceof InsertRefused) return { conflict: error.reason };
      throw error;
    }
  }

  update(id: string, changes: { displayName?: string; authenticationType?: AuthenticationType }): Promise<void> {
    const set: Partial<Pick<StorageConnectionRow, 'display_name' | 'authentication_type'>> = {};
    if (changes.displayName !== undefined) set.display_name = changes.displayName;
    if (changes.authenticationType !== undefined) set.authentication_type = changes.authenticationType;
    if (Object.keys(set).length === 0) return Promise.resolve();
    return this.scope.write(async (db) => {
      await updateConnection(db, id, set);
    });
  }

  setLastRun(id: string, runId: string): Promise<void> {
    return this.scope.write(async (db) => {
      await updateConnection(db, id, { last_run_id: runId });
    });
  }

  delete(id: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      const result = await db.deleteFrom('storage_connections').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async findSourceFile(connectionId: string, id: string): Promise<SourceFile | undefined> {
    const row = await sourceFilesWithNames(this.scope.db)
      .where('source_files.connection_id', '=', connectionId)
      .where('source_files.id', '=', id)
      .executeTakeFirst();
    return row && sourceFileFromRow(row);
  }

  async listSourceFiles(connectionId: string, page?: Page): Promise<SourceFile[]> {
    let query = sourceFilesWithNames(this.scope.db)
      .where('source_files.connection_id', '=', connectionId)
      .orderBy('source_files.created_at')
      .orderBy('source_files.ordinal')
      .orderBy('source_files.id');
    if (page?.continuation) {
      query = query.where(sortsAfter(['source_files.created_at', 'source_files.ordinal', 'source_files.id'], page.continuation.after));
    }
    if (page) query = query.offset(page.skip).limit(page.top + 1);
    return (await query.execute()).map(sourceFileFromRow);
  }

  addSourceFile(sourceFile: SourceFileMapping): Promise<boolean> {
    return this.unlessMappedAlready((db) => db.insertInto('source_files').values(sourceFileRow(sourceFile)).execute());
  }

  updateSourceFile(id: string, change: { storageFileId: string; connectorType: string }): Promise<boolean> {
    return this.unlessMappedAlready((db) =>
      db
        .updateTable('source_files')
        // The file it names now exists (the caller checked), so the name kept for a deleted one goes.
        .set({ storage_file_id: change.storageFileId, connector_type: change.connectorType, last_known_file_name: null })
        .where('id', '=', id)
        .execute(),
    );
  }

  removeSourceFile(connectionId: string, id: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      const result = await db.deleteFrom('source_files').where('connection_id', '=', connectionId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** False when the unique index (a storage file at most once per iModel) refused the write. */
  private unlessMappedAlready(write: (db: Db) => Promise<unknown>): Promise<boolean> {
    return this.scope.write(async (db) => {
      try {
        await write(db);
        return true;
      } catch (error) {
        // A unique violation aborts a PostgreSQL transaction: the caller ends it (with a 409).
        if (this.scope.dialect.isUniqueViolation(error)) return false;
        throw error;
      }
    });
  }
}

type CreateRequest = CreateLookup & { iModelId: string };
type Decide = (request: CreateRequest, found: CreateTargets) => CreateDecision;

interface CreateInput {
  request: CreateRequest;
  decide: Decide;
  dialect: StoreDialect;
}

/** The insert of a create was refused by a constraint: a mapped file (unique) or a gone iModel (foreign key). */
class InsertRefused extends Error {
  constructor(readonly reason: 'fileMapped' | 'iModelGone') {
    super(reason);
  }
}

/**
 * Creates that arrive together are written together: one statement looks up all of them and one
 * inserts all that the domain's decision let through (two on SQLite), instead of two or three per
 * create (on PostgreSQL, each a round trip). On PostgreSQL the lookup and the insert run without a
 * transaction around them (Coalesced.plan): BEGIN and COMMIT would double the round trips. If the
 * insert fails (a file mapped twice, an iModel deleted meanwhile), nothing of it stays and every
 * create runs again alone (`one`), whose refused insert tells which constraint refused it.
 */
const CREATE: Coalesced<CreateInput, CreateOutcome> = {
  async one(trx, { request, decide, dialect }) {
    const decision = decide(request, await findTargets(trx, request));
    if (!('insert' in decision)) return decision;
    const { connection, sourceFiles } = decision.insert;
    try {
      await insertConnections(trx, [connection], sourceFiles, dialect.insertsInWith);
    } catch (error) {
      if (dialect.isUniqueViolation(error)) throw new InsertRefused('fileMapped');
      if (dialect.isForeignKeyViolation(error)) throw new InsertRefused('iModelGone');
      throw error;
    }
    return { created: connection };
  },

  async many(trx, inputs) {
    const { outcomes, write } = await CREATE.plan!(trx, inputs);
    await write?.(trx);
    return outcomes;
  },

  async plan(db, inputs) {
    const found = await findTargetsOfMany(db, inputs);
    const outcomes: Outcome<CreateOutcome>[] = [];
    const connections: StorageConnection[] = [];
    const sourceFiles: SourceFileMapping[] = [];
    for (const { request, decide } of inputs) {
      const seen = found.get(request.subject);
      const iModel = seen?.iModels.find((m) => m.id === request.iModelId);
      const decision = decide(request, iModel ? { iModel, files: seen!.files } : { files: seen?.files ?? [] });
      if ('insert' in decision) {
        connections.push(decision.insert.connection);
        for (const file of decision.insert.sourceFiles) sourceFiles.push(file);
        outcomes.push({ ok: true, value: { created: decision.insert.connection } });
      } else outcomes.push({ ok: true, value: decision });
    }
    if (connections.length === 0) return { outcomes };
    // One statement where the dialect can (PostgreSQL); two are atomic only inside a transaction.
    const oneStatement = inputs[0]!.dialect.insertsInWith;
    return {
      outcomes,
      write: (db) => {
        if (!oneStatement && !db.isTransaction) throw new Error('CREATE: two inserts cannot run without a transaction');
        return insertConnections(db, connections, sourceFiles, oneStatement);
      },
    };
  },
};

/**
 * Several connections and all their source files: two statements, or one where the dialect allows
 * an INSERT inside WITH (PostgreSQL; see StoreDialect.insertsInWith). Compiled once (see
 * compileOnce): this is the hottest write of the service.
 */
async function insertConnections(db: Db, connections: StorageConnection[], sourceFiles: SourceFileMapping[], oneStatement: boolean): Promise<void> {
  if (connections.length === 0) return;
  const c = connectionColumns(connections);
  if (sourceFiles.length === 0) {
    await insertConnectionRows(db, c);
    return;
  }
  const f = sourceFileColumns(sourceFiles);
  if (oneStatement) await insertConnectionsWithFiles(db, { ...c, ...f });
  else {
    await insertConnectionRows(db, c);
    await insertSourceFileRows(db, f);
  }
}

// Rows as one list per column: the shape compileOnce takes.
function connectionColumns(connections: StorageConnection[]) {
  return {
    c_id: connections.map((c) => c.id),
    c_imodel_id: connections.map((c) => c.iModelId),
    c_itwin_id: connections.map((c) => c.iTwinId),
    c_display_name: connections.map((c) => c.displayName),
    c_authentication_type: connections.map((c) => c.authenticationType),
    c_created_by: connections.map((c) => c.createdBy),
    c_created_at: connections.map((c) => c.createdAt),
    c_last_run_id: connections.map((c) => c.lastRunId),
  };
}
type ConnectionParams = ReturnType<typeof connectionColumns>;

function sourceFileColumns(files: SourceFileMapping[]) {
  return {
    sf_id: files.map((f) => f.id),
    sf_connection_id: files.map((f) => f.connectionId),
    sf_imodel_id: files.map((f) => f.iModelId),
    sf_storage_file_id: files.map((f) => f.storageFileId),
    sf_connector_type: files.map((f) => f.connectorType),
    sf_created_at: files.map((f) => f.createdAt),
    sf_ordinal: files.map((f) => f.ordinal),
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

type Kind = 'imodel' | 'file';

function accessOf(row: { owner: number; permissions: string }): MemberAccess {
  return { owner: Number(row.owner) === 1, permissions: row.permissions };
}

/** What creating a connection checks, in one statement instead of one per table: on PostgreSQL every statement is a round trip. */
async function findTargets(db: Db, { subject, iModelId, storageFileIds: fileIds }: CreateLookup): Promise<CreateTargets> {
  let rows: { kind: Kind; id: string; itwin_id: string; owner: number; permissions: string }[] = [];
  if (iModelId !== undefined && fileIds.length > 0) rows = await iModelAndFileTargets(db, { subject, iModelId, fileIds });
  else if (iModelId !== undefined) rows = await iModelTarget(db, { subject, iModelId });
  else if (fileIds.length > 0) rows = await fileTargets(db, { subject, fileIds });
  const targets: CreateTargets = { files: [] };
  for (const row of rows) {
    const target = { id: row.id, iTwinId: row.itwin_id };
    if (row.kind === 'imodel') targets.iModel = { ...target, access: accessOf(row) };
    else targets.files.push(target);
  }
  return targets;
}

/** Of a subject, what findTargets finds for any of the creates of a batch. */
interface SubjectTargets {
  iModels: { id: string; iTwinId: string; access: MemberAccess }[];
  files: { id: string; iTwinId: string }[];
}

/**
 * findTargets for the creates of a batch, in one statement: the iModels each subject can see and the
 * files each can use, of those any of the creates names.
 */
async function findTargetsOfMany(db: Db, inputs: readonly CreateInput[]): Promise<Map<string, SubjectTargets>> {
  const subjects = new Set<string>();
  const iModelIds = new Set<string>();
  const fileIds = new Set<string>();
  for (const { request } of inputs) {
    subjects.add(request.subject);
    iModelIds.add(request.iModelId);
    for (const id of request.storageFileIds) fileIds.add(id);
  }
  const bySubject = new Map<string, SubjectTargets>();
  // Lists padded to a power of two with an id nothing has: a handful of shapes to compile.
  const rows = await manyTargets(db, { subjects: padded(subjects), iModelIds: padded(iModelIds), fileIds: padded(fileIds) });
  for (const row of rows) {
    let targets = bySubject.get(row.subject);
    if (!targets) bySubject.set(row.subject, (targets = { iModels: [], files: [] }));
    if (row.kind === 'imodel') targets.iModels.push({ id: row.id, iTwinId: row.itwin_id, access: accessOf(row) });
    else targets.files.push({ id: row.id, iTwinId: row.itwin_id });
  }
  return bySubject;
}

function padded(values: Set<string>): string[] {
  let size = 1;
  while (size < values.size) size *= 2;
  const list = [...values];
  while (list.length < size) list.push('');
  return list;
}

// CROSS JOIN: SQLite then reads the named rows first. With an inner join it preferred, on a real
// database, the subject's memberships and then every file of the iTwin (31 ms against 0.4 ms for 50
// files). PostgreSQL plans a CROSS JOIN with its WHERE like any inner join.
const manyTargets = compileOnce((db, p: { subjects: readonly string[]; iModelIds: readonly string[]; fileIds: readonly string[] }) =>
  db
    .selectFrom('imodels')
    .crossJoin('itwin_members')
    .select([sql<Kind>`'imodel'`.as('kind'), 'imodels.id', 'imodels.itwin_id', 'itwin_members.subject', 'itwin_members.owner', 'itwin_members.permissions'])
    .whereRef('itwin_members.itwin_id', '=', 'imodels.itwin_id')
    .where('imodels.id', 'in', p.iModelIds)
    .where('itwin_members.subject', 'in', p.subjects)
    .unionAll(
      db
        .selectFrom('storage_files')
        .crossJoin('itwin_members')
        .select([
          sql<Kind>`'file'`.as('kind'),
          'storage_files.id',
          'storage_files.itwin_id',
          'itwin_members.subject',
          'itwin_members.owner',
          'itwin_members.permissions',
        ])
        .whereRef('itwin_members.itwin_id', '=', 'storage_files.itwin_id')
        .where('storage_files.id', 'in', p.fileIds)
        .where('itwin_members.subject', 'in', p.subjects)
        .where('storage_files.content_version', '>', sql.lit(0)),
    ),
);

// CROSS JOIN keeps SQLite reading the named rows first (see manyTargets).
function iModelTargetQuery(db: Db, p: { subject: string; iModelId: string }) {
  return (
    db
      .selectFrom('imodels')
      .crossJoin('itwin_members')
      // The member's owner flag and permissions come with the row that proves membership: no other read.
      .select([sql<Kind>`'imodel'`.as('kind'), 'imodels.id', 'imodels.itwin_id', 'itwin_members.owner', 'itwin_members.permissions'])
      .whereRef('itwin_members.itwin_id', '=', 'imodels.itwin_id')
      .where('itwin_members.subject', '=', p.subject)
      .where('imodels.id', '=', p.iModelId)
  );
}

function fileTargetsQuery(db: Db, p: { subject: string; fileIds: readonly string[] }) {
  return (
    db
      .selectFrom('storage_files')
      .crossJoin('itwin_members')
      .select([sql<Kind>`'file'`.as('kind'), 'storage_files.id', 'storage_files.itwin_id', 'itwin_members.owner', 'itwin_members.permissions'])
      .whereRef('itwin_members.itwin_id', '=', 'storage_files.itwin_id')
      .where('itwin_members.subject', '=', p.subject)
      .where('storage_files.id', 'in', p.fileIds)
      // Content completed (a file being uploaded for the first time has none yet).
      .where('storage_files.content_version', '>', sql.lit(0))
  );
}

const iModelTarget = compileOnce(iModelTargetQuery);
const fileTargets = compileOnce(fileTargetsQuery);
const iModelAndFileTargets = compileOnce((db, p: { subject: string; iModelId: string; fileIds: readonly string[] }) =>
  iModelTargetQuery(db, p).unionAll(fileTargetsQuery(db, p)),
);

function updateConnection(
  db: Db,
  id: string,
  changes: Partial<Pick<StorageConnectionRow, 'display_name' | 'authentication_type' | 'last_run_id'>>,
): Promise<unknown> {
  return db.updateTable('storage_connections').set(changes).where('id', '=', id).execute();
}

function sourceFilesWithNames(db: Db) {
  return db
    .selectFrom('source_files')
    .leftJoin('storage_files', 'storage_files.id', 'source_files.storage_file_id')
    .selectAll('source_files')
    .select('storage_files.display_name');
}

export function connectionFromRow(row: StorageConnectionRow): StorageConnection {
  return {
    id: row.id,
    displayName: row.display_name,
    iModelId: row.imodel_id,
    iTwinId: row.itwin_id,
    authenticationType: row.authentication_type as AuthenticationType,
    lastRunId: row.last_run_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    kind: row.kind === 'manifest' ? 'manifest' : 'storage',
  };
}

function sourceFileFromRow(row: SourceFileRow & { display_name: string | null }): SourceFile {
  return {
    id: row.id,
    storageFileId: row.storage_file_id,
    connectorType: row.connector_type,
    // The storage file's name while it exists, the one it had when it was deleted after.
    lastKnownFileName: row.display_name ?? row.last_known_file_name ?? '',
    position: { createdAt: row.created_at, ordinal: row.ordinal ?? 0 },
  };
}

function sourceFileRow(file: SourceFileMapping): SourceFileRow {
  return {
    id: file.id,
    connection_id: file.connectionId,
    imodel_id: file.iModelId,
    storage_file_id: file.storageFileId,
    connector_type: file.connectorType,
    created_at: file.createdAt,
    ordinal: file.ordinal,
  };
}
