import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createIModel } from '../../src/domain/imodels/create-imodel.js';
import { createITwin } from '../../src/domain/itwins/create-itwin.js';
import { ApiError } from '../../src/domain/errors.js';
import { newOpaqueId } from '../../src/domain/ids.js';
import { createStorageConnection } from '../../src/domain/storage-connections/create-storage-connection.js';
import Database from 'better-sqlite3';
import { startCheckpointer } from '../../src/store/checkpointer.js';
import type { SourceFileMapping } from '../../src/domain/source-files/model.js';
import type { StorageConnection } from '../../src/domain/storage-connections/model.js';
import { compileOnce } from '../../src/store/compiled-query.js';
import type { StorageConnectionRow } from '../../src/store/schema.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

// Compiled queries are made at module level (see compileOnce), before any has run.
const byId = compileOnce((q, p: { ids: readonly string[]; name: string }) =>
  q.selectFrom('imodels').select(['id', 'name']).where('id', 'in', p.ids).where('name', '=', p.name).orderBy('id'),
);
const insideAnotherValue = compileOnce((q, p: { name: string }) => q.selectFrom('imodels').select('id').where('name', '=', `${p.name}%`));

/**
 * What the store does to be fast (docs/performance.md) must not change what it does: compiled-once
 * queries, optimistic write batches and the SQLite checkpointer thread.
 */
for (const target of storeTargets) {
  describe(`store performance measures [${target.name}]`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let store: Store;
    let itwinId: string;
    let rootFolderId: string;
    let imodelId: string;
    before(async () => {
      db = await target.create();
      store = await Store.open({ databaseUrl: db.databaseUrl, schema: db.schema });
      const itwin = await createITwin(store, 'alice', { displayName: 'perf' });
      itwinId = itwin.id;
      rootFolderId = itwin.rootFolderId;
      imodelId = (await createIModel(store, 'alice', { iTwinId: itwin.id, name: 'perf' })).id;
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    const connection = (id: string): StorageConnectionRow => ({
      id,
      imodel_id: imodelId,
      itwin_id: itwinId,
      display_name: id,
      authentication_type: 'User',
      created_by: 'alice',
      created_at: new Date().toISOString(),
      last_run_id: null,
    });
    const sourceFile = (connectionId: string, storageFileId: string, ordinal = 0): SourceFileMapping => ({
      id: `${connectionId}-${storageFileId}`,
      connectionId,
      iModelId: imodelId,
      storageFileId,
      connectorType: 'IFC',
      createdAt: new Date().toISOString(),
      ordinal,
    });
    const newConnection = (id: string): StorageConnection => ({
      id,
      iModelId: imodelId,
      iTwinId: itwinId,
      displayName: id,
      authenticationType: 'User',
      createdBy: 'alice',
      createdAt: new Date().toISOString(),
      kind: 'storage',
      lastRunId: null,
    });
    const connectionIds = async (prefix: string) =>
      (await store.db.selectFrom('storage_connections').select('id').where('id', 'like', `${prefix}%`).orderBy('id').execute()).map((r) => r.id);

    it('a compiled-once query gives what building it each time gives, for every shape', async () => {
      for (const ids of [[imodelId], [imodelId, 'x'], ['x', 'y', imodelId], [imodelId], ['none']]) {
        const expected = await store.db.selectFrom('imodels').select(['id', 'name']).where('id', 'in', ids).where('name', '=', 'perf').orderBy('id').execute();
        assert.deepEqual(await byId(store.db, { ids, name: 'perf' }), expected);
      }
      assert.deepEqual(await byId(store.db, { ids: [imodelId], name: 'other' }), []);
    });

    it('compileOnce refuses a parameter used inside another value', async () => {
      await assert.rejects(insideAnotherValue(store.db, { name: 'perf' }), /inside another value/);
    });

    it('findCreateTargets reports the visible iModel and the usable files, in any combination', async () => {
      const find = (subject: string, iModelId: string | undefined, storageFileIds: string[]) =>
        store.connections.findCreateTargets({ subject, iModelId, storageFileIds });
      assert.deepEqual(await find('alice', imodelId, []), { iModel: { id: imodelId, iTwinId: itwinId, access: { owner: true, permissions: ',' } }, files: [] });
      assert.deepEqual(await find('bob', imodelId, []), { files: [] });
      assert.deepEqual(await find('alice', undefined, ['no-such-file']), { files: [] });
      assert.deepEqual(await find('alice', undefined, []), { files: [] });
    });

    it('the create insert writes the connection and its source files, in one statement where the dialect can', async () => {
      // The store inserts whatever the decision returns; this one ignores what the store found.
      const insert = (connection: StorageConnection, sourceFiles: SourceFileMapping[]) =>
        store.connections.create({ subject: 'alice', iModelId: imodelId, storageFileIds: [] }, () => ({
          insert: { connection, sourceFiles },
        }));
      const files = [sourceFile('ins-1', 'file-a', 0), sourceFile('ins-1', 'file-b', 1)];
      assert.ok('created' in (await insert(newConnection('ins-1'), files)));
      assert.ok('created' in (await insert(newConnection('ins-2'), [])));
      assert.deepEqual(await connectionIds('ins-'), ['ins-1', 'ins-2']);
      const stored = await store.db.selectFrom('source_files').selectAll().where('connection_id', '=', 'ins-1').orderBy('ordinal').execute();
      assert.deepEqual(
        stored.map((f) => [f.storage_file_id, f.ordinal]),
        [
          ['file-a', 0],
          ['file-b', 1],
        ],
      );
      // The unique index still decides: the same file again in the iModel is refused, whole.
      assert.deepEqual(await insert(newConnection('ins-3'), [sourceFile('ins-3', 'file-a')]), { conflict: 'fileMapped' });
      assert.deepEqual(await connectionIds('ins-'), ['ins-1', 'ins-2']);
    });

    it('a write in a batch that fails after writing leaves nothing behind; the others commit', async () => {
      const write = (id: string, fail: boolean) =>
        store.writeSql(async (trx) => {
          await trx.insertInto('storage_connections').values(connection(id)).execute();
          if (fail) throw new Error('refused after writing');
          return id;
        });
      const results = await Promise.allSettled([write('opt-1', false), write('opt-2', true), write('opt-3', false)]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.deepEqual(await connectionIds('opt-'), ['opt-1', 'opt-3']);
    });

    it('a write that swallows a statement error cannot lose the rest of its batch', async () => {
      // A store of its own: an earlier failure in this file would send its batches to savepoints.
      const fresh = await Store.open({ databaseUrl: db.databaseUrl, schema: db.schema });
      try {
        await fresh.writeSql((trx) => trx.insertInto('storage_connections').values(connection('swallow-0')).execute());
        const results = await Promise.allSettled([
          fresh.writeSql((trx) => trx.insertInto('storage_connections').values(connection('swallow-1')).execute()),
          fresh.writeSql((trx) => trx.insertInto('storage_connections').values(connection('swallow-2')).execute()),
          // Last in the batch, a duplicate key, caught: PostgreSQL has aborted the transaction, and
          // its COMMIT rolls back the two above.
          fresh.writeSql((trx) =>
            trx
              .insertInto('storage_connections')
              .values(connection('swallow-0'))
              .execute()
              .catch(() => 'swallowed'),
          ),
        ]);
        assert.equal(results[0]!.status, 'fulfilled');
        assert.equal(results[1]!.status, 'fulfilled');
        assert.deepEqual(await connectionIds('swallow-'), ['swallow-0', 'swallow-1', 'swallow-2']);
      } finally {
        await fresh.close();
      }
    });

    /** Completed storage files, straight into the store (the create path reads only their rows). */
    const files = async (n: number) => {
      const now = new Date().toISOString();
      const ids = Array.from({ length: n }, () => newOpaqueId());
      await store.db
        .insertInto('storage_files')
        .values(
          ids.map((id) => ({
            id,
            itwin_id: itwinId,
            folder_id: rootFolderId,
            display_name: `${id}.ifc`,
            description: null,
            size: 1,
            content_version: 1,
            content_hash: null,
            created_at: now,
            created_by: 'alice',
            modified_at: now,
            modified_by: 'alice',
          })),
        )
        .execute();
      return ids;
    };
    const caller = (subject: string) => Object.freeze({ subject, clientId: undefined, scopes: new Set(['itwin-platform']) });
    const create = (subject: string, iModelId: string, fileIds: string[]) =>
      createStorageConnection(store, caller(subject), {
        iModelId,
        displayName: 'together',
        sourceFiles: fileIds.map((storageFileId) => ({ storageFileId, connectorType: 'IFC' })),
      });
    const status = (r: PromiseSettledResult<unknown>) => (r.status === 'fulfilled' ? 201 : r.reason instanceof ApiError ? r.reason.status : r.reason);

    it('creates arriving together are written together, each with its own answer', async () => {
      const [f1, f2, f3] = await files(3);
      const results = await Promise.allSettled([
        create('alice', imodelId, [f1!]),
        create('bob', imodelId, [f2!]), // not a member of the iTwin: 422
        create('alice', '00000000-0000-4000-8000-000000000000', [f3!]), // no such iModel: 422
        create('alice', imodelId, [f2!, f3!]),
      ]);
      assert.deepEqual(results.map(status), [201, 422, 422, 201]);
      const bob = (results[1] as PromiseRejectedResult).reason as ApiError;
      assert.deepEqual(
        bob.details?.map((d) => d.target),
        ['imodelId', 'storageFileId'],
      );
      const made = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id);
      const stored = await store.db
        .selectFrom('source_files')
        .select(['connection_id', 'storage_file_id', 'ordinal'])
        .where('connection_id', 'in', made)
        .orderBy('connection_id')
        .orderBy('ordinal')
        .execute();
      assert.equal(stored.length, 3);
      assert.deepEqual(
        stored.filter((f) => f.connection_id === made[1]).map((f) => [f.storage_file_id, f.ordinal]),
        [
          [f2, 0],
          [f3, 1],
        ],
      );
    });

    it('a conflict among creates arriving together is a 409 for the later one only, leaving nothing behind', async () => {
      const [f1, f2, f3] = await files(3);
      const before = (await store.db.selectFrom('storage_connections').select('id').execute()).length;
      const results = await Promise.allSettled([
        create('alice', imodelId, [f1!]),
        create('alice', imodelId, [f2!]),
        create('alice', imodelId, [f3!, f1!]), // f1 again, in the same iModel
        create('bob', imodelId, [f3!]),
      ]);
      assert.deepEqual(results.map(status), [201, 201, 409, 422]);
      assert.equal((await store.db.selectFrom('storage_connections').select('id').execute()).length, before + 2);
      const f3Mappings = await store.db.selectFrom('source_files').select('id').where('storage_file_id', '=', f3!).execute();
      assert.deepEqual(f3Mappings, [], 'the 409 left none of its source files');
    });

    if (target.name === 'sqlite') {
      it('the checkpointer thread moves the WAL into the database file without the writer', async () => {
        const file = db.databaseUrl.slice('sqlite:'.length);
        const before = fs.statSync(file).size;
        const padding = 'x'.repeat(2000);
        // About 500 pages: below the writer's own safety-net checkpoint (10,000 pages).
        for (let i = 0; i < 10; i++) {
          await store.writeSql(async (trx) => {
            for (let j = 0; j < 100; j++)
              await trx
                .insertInto('storage_connections')
                .values({ ...connection(`wal-${i}-${j}`), display_name: padding })
                .execute();
          });
        }
        const deadline = Date.now() + 5_000;
        while (fs.statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.ok(fs.statSync(file).size > before, `${path.basename(file)} grew by checkpoints`);
      });

      it('writes pause, when the WAL is due, until the checkpointer has copied it all; then it starts over', async () => {
        const file = path.join(db.dataDir, 'restart.db');
        const database = new Database(file);
        database.pragma('journal_mode = WAL');
        database.pragma('wal_autocheckpoint = 0'); // only the checkpointer
        database.exec('create table t (id integer primary key, v text)');
        let failed = false;
        const checkpointer = startCheckpointer(file, () => (failed = true), 10, 64);
        // The WAL header's checkpoint sequence goes up each time the WAL starts over.
        const restarts = () => {
          const header = Buffer.alloc(16);
          const fd = fs.openSync(`${file}-wal`, 'r');
          fs.readSync(fd, header, 0, 16, 0);
          fs.closeSync(fd);
          return header.readUInt32BE(12);
        };
        const insert = database.prepare('insert into t (v) values (?)');
        let paused = 0;
        try {
          const deadline = Date.now() + 10_000;
          while (restarts() < 2 && Date.now() < deadline) {
            const gate = checkpointer.beforeBatch();
            if (gate) {
              paused++;
              await gate;
            }
            database.transaction(() => {
              for (let i = 0; i < 20; i++) insert.run('y'.repeat(1000));
            })();
            await new Promise((r) => setTimeout(r, 1));
          }
          assert.ok(paused > 0, 'writes paused');
          assert.ok(restarts() >= 2, `the WAL started over (${restarts()} times)`);
          // Without restarts it would only grow; with them it stays near 64 pages (generous bound:
          // a loaded machine may run the worker late).
          const walBytes = fs.statSync(`${file}-wal`).size;
          assert.ok(walBytes < 8 * 2 ** 20, `the WAL stayed small (${walBytes} bytes)`);
          assert.equal(failed, false);
        } finally {
          await checkpointer.stop();
          database.close();
        }
      });
    }
  });
}
