import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql, type Compilable, type Kysely } from 'kysely';
import { sortsAfter } from '../../src/store/keyset.js';
import type { Database } from '../../src/store/schema.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

/**
 * A page after a continuation token must cost the same at the end of a long list as at its start:
 * the keyset condition has to be a bound of an index range scan (behind the list's filter), with no
 * sort of the filtered rows. The queries are those the repositories build for one page after a
 * token (same table, filter, condition and order). PostgreSQL is told to avoid sequential scans and
 * sorts, so that on these near-empty tables the plan shows what an index can do, as it would choose
 * on a large one (bench/scale.ts measures that).
 */
for (const target of storeTargets) {
  describe(`keyset pages are index range scans [${target.name}]`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let store: Store;
    before(async () => {
      db = await target.create();
      store = await Store.open({ databaseUrl: db.databaseUrl, schema: db.schema });
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    const plan = async (query: Compilable): Promise<string> => {
      const { sql: text, parameters } = query.compile();
      const explain = async (conn: Kysely<Database>, prefix: string) => {
        const result = await conn.executeQuery<Record<string, string>>(CompiledQuery.raw(`${prefix} ${text}`, [...parameters]));
        return result.rows.map((r) => r.detail ?? r['QUERY PLAN']).join('\n');
      };
      if (target.name === 'sqlite') return explain(store.db, 'explain query plan');
      return store.db.connection().execute(async (conn) => {
        await sql`set enable_seqscan = off`.execute(conn);
        await sql`set enable_sort = off`.execute(conn);
        try {
          return await explain(conn, 'explain');
        } finally {
          await sql`reset enable_seqscan`.execute(conn);
          await sql`reset enable_sort`.execute(conn);
        }
      });
    };

    /** The plan reads `index` with the keyset among its bounds and sorts nothing. */
    const assertRangeScan = (text: string, index: string) => {
      if (target.name === 'sqlite') {
        assert.match(text, new RegExp(`USING (COVERING )?INDEX ${index} \\(.*[<>]`), text);
        assert.doesNotMatch(text, /TEMP B-TREE/, text);
      } else {
        assert.match(text, new RegExp(`Index Scan( Backward)? using ${index}`), text);
        assert.match(text, /Index Cond: .*[<>]/, text);
        assert.doesNotMatch(text, /Sort/, text);
      }
    };

    const d = (): Kysely<Database> => store.db;
    const at = '2026-01-01T00:00:00.000Z';

    it("an iModel's connections", async () => {
      const q = d()
        .selectFrom('storage_connections')
        .selectAll()
        .where('imodel_id', '=', 'm')
        .where(sortsAfter(['storage_connections.created_at', 'storage_connections.id'], [at, 'c']))
        .orderBy('created_at')
        .orderBy('id')
        .limit(101);
      assertRangeScan(await plan(q), 'storage_connections_imodel');
    });

    it("an iTwin's iModels", async () => {
      const q = d()
        .selectFrom('imodels')
        .selectAll()
        .where('itwin_id', '=', 't')
        .where(sortsAfter(['created_at', 'id'], [at, 'm']))
        .orderBy('created_at')
        .orderBy('id')
        .limit(101);
      assertRangeScan(await plan(q), 'imodels_itwin');
    });

    it("a connection's runs, newest first", async () => {
      const q = d()
        .selectFrom('runs')
        .selectAll()
        .where('connection_id', '=', 'c')
        .where(sortsAfter(['created_at', 'id'], [at, 'r'], 'desc'))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(101);
      assertRangeScan(await plan(q), 'runs_connection');
    });

    it("a connection's source files", async () => {
      const q = d()
        .selectFrom('source_files')
        .leftJoin('storage_files', 'storage_files.id', 'source_files.storage_file_id')
        .selectAll('source_files')
        .select('storage_files.display_name')
        .where('source_files.connection_id', '=', 'c')
        .where(sortsAfter(['source_files.created_at', 'source_files.ordinal', 'source_files.id'], [at, 0, 'f']))
        .orderBy('source_files.created_at')
        .orderBy('source_files.ordinal')
        .orderBy('source_files.id')
        .limit(101);
      assertRangeScan(await plan(q), 'source_files_connection_created');
    });

    it("a folder's folders and files", async () => {
      const folders = d()
        .selectFrom('storage_folders')
        .selectAll()
        .where('parent_id', '=', 'p')
        .where(sortsAfter(['created_at', 'id'], [at, 'f']))
        .orderBy('created_at')
        .orderBy('id')
        .limit(101);
      assertRangeScan(await plan(folders), 'storage_folders_parent_created');
      const files = d()
        .selectFrom('storage_files')
        .selectAll()
        .where('folder_id', '=', 'p')
        .where(sortsAfter(['created_at', 'id'], [at, 'f']))
        .orderBy('created_at')
        .orderBy('id')
        .limit(101);
      assertRangeScan(await plan(files), 'storage_files_folder_created');
    });

    it("an iModel's changesets, both ways", async () => {
      for (const order of ['asc', 'desc'] as const) {
        const q = d()
          .selectFrom('changesets')
          .selectAll()
          .where('imodel_id', '=', 'm')
          .where(sortsAfter(['changeset_index'], [5], order))
          .orderBy('changeset_index', order)
          .limit(101);
        const text = await plan(q);
        // The primary key is the index: SQLite names it sqlite_autoindex_changesets_<n>, PostgreSQL changesets_pk.
        assertRangeScan(text, target.name === 'sqlite' ? 'sqlite_autoindex_changesets_\\d+' : 'changesets_pk');
      }
    });
  });
}
