import type { Kysely } from 'kysely';
import type { ManifestConnectionRepository } from '../../domain/manifest-connections/repository.js';
import type { Manifest, ManifestSourceFile, ManifestSourceFileMapping } from '../../domain/manifest-connections/model.js';
import type { Page } from '../../domain/paging.js';
import type { StorageConnection } from '../../domain/storage-connections/model.js';
import { sortsAfter } from '../keyset.js';
import type { Scope } from '../scope.js';
import type { Database, ManifestSourceFileRow } from '../schema.js';

type Db = Kysely<Database>;

/** What only manifest connections have, over SQL (migration 0012): their source files and their runs' manifests. */
export class SqlManifestConnections implements ManifestConnectionRepository {
  constructor(private readonly scope: Scope) {}

  create(connection: StorageConnection, sourceFiles: readonly ManifestSourceFileMapping[]): Promise<'created' | 'fileMapped' | 'iModelGone'> {
    return this.scope.write(async (db) => {
      try {
        await db
          .insertInto('storage_connections')
          .values({
            id: connection.id,
            imodel_id: connection.iModelId,
            itwin_id: connection.iTwinId,
            display_name: connection.displayName,
            authentication_type: connection.authenticationType,
            created_by: connection.createdBy,
            created_at: connection.createdAt,
            last_run_id: connection.lastRunId,
            kind: 'manifest',
          })
          .execute();
        if (sourceFiles.length > 0) await db.insertInto('manifest_source_files').values(sourceFiles.map(rowOf)).execute();
        return 'created';
      } catch (error) {
        // Either aborts a PostgreSQL transaction: the caller ends it (with a 409 or a 422).
        if (this.scope.dialect.isUniqueViolation(error)) return 'fileMapped';
        if (this.scope.dialect.isForeignKeyViolation(error)) return 'iModelGone';
        throw error;
      }
    });
  }

  async findSourceFile(connectionId: string, id: string): Promise<ManifestSourceFile | undefined> {
    const row = await this.scope.db
      .selectFrom('manifest_source_files')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && sourceFileOf(row);
  }

  async listSourceFiles(connectionId: string, page: Page): Promise<ManifestSourceFile[]> {
    let query = this.scope.db.selectFrom('manifest_source_files').selectAll().where('connection_id', '=', connectionId);
    if (page.continuation) query = query.where(sortsAfter(['created_at', 'ordinal', 'id'], page.continuation.after));
    const rows = await query
      .orderBy('created_at')
      .orderBy('ordinal')
      .orderBy('id')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(sourceFileOf);
  }

  async registered(connectionId: string, sourceFileIds: readonly string[]): Promise<Set<string>> {
    if (sourceFileIds.length === 0) return new Set();
    const rows = await this.scope.db
      .selectFrom('manifest_source_files')
      .select('source_file_id')
      .where('connection_id', '=', connectionId)
      .where('source_file_id', 'in', [...new Set(sourceFileIds)])
      .execute();
    return new Set(rows.map((r) => r.source_file_id));
  }

  addSourceFile(sourceFile: ManifestSourceFileMapping): Promise<boolean> {
    return this.unlessRegistered((db) => db.insertInto('manifest_source_files').values(rowOf(sourceFile)).execute());
  }

  updateSourceFile(connectionId: string, id: string, sourceFileId: string): Promise<boolean> {
    return this.unlessRegistered((db) =>
      db.updateTable('manifest_source_files').set({ source_file_id: sourceFileId }).where('connection_id', '=', connectionId).where('id', '=', id).execute(),
    );
  }

  removeSourceFile(connectionId: string, id: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      const result = await db.deleteFrom('manifest_source_files').where('connection_id', '=', connectionId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  saveManifest(runId: string, manifest: Manifest): Promise<void> {
    return this.scope.write(async (db) => {
      await db
        .insertInto('manifest_runs')
        .values({ run_id: runId, manifest: JSON.stringify(manifest) })
        .execute();
    });
  }

  async manifestOf(runId: string): Promise<Manifest | undefined> {
    const row = await this.scope.db.selectFrom('manifest_runs').select('manifest').where('run_id', '=', runId).executeTakeFirst();
    return row && (JSON.parse(row.manifest) as Manifest);
  }

  /** False when the unique index (a source file id at most once per iModel) refused the write. */
  private unlessRegistered(write: (db: Db) => Promise<unknown>): Promise<boolean> {
    return this.scope.write(async (db) => {
      try {
        await write(db);
        return true;
      } catch (error) {
        if (this.scope.dialect.isUniqueViolation(error)) return false;
        throw error;
      }
    });
  }
}

function rowOf(file: ManifestSourceFileMapping): ManifestSourceFileRow {
  return {
    id: file.id,
    connection_id: file.connectionId,
    imodel_id: file.iModelId,
    source_file_id: file.sourceFileId,
    created_at: file.createdAt,
    ordinal: file.ordinal,
  };
}

function sourceFileOf(row: ManifestSourceFileRow): ManifestSourceFile {
  return { id: row.id, sourceFileId: row.source_file_id, position: { createdAt: row.created_at, ordinal: row.ordinal } };
}
