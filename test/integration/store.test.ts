import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createITwin } from '../../src/domain/itwins/create-itwin.js';
import { createIModel } from '../../src/domain/imodels/create-imodel.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

for (const target of storeTargets) {
  describe(`store [${target.name}]`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let store: Store;
    before(async () => {
      db = await target.create();
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    it('several processes may open (and migrate) a fresh database at the same time', async () => {
      const opened = await Promise.all(Array.from({ length: 4 }, () => Store.open({ databaseUrl: db.databaseUrl, schema: db.schema })));
      const applied = await opened[0]!.db.selectFrom('twinsync_migrations').select('name').execute();
      assert.deepEqual(
        applied.map((r) => r.name),
        migrations.map((m) => m.name),
      );
      await Promise.all(opened.slice(1).map((s) => s.close()));
      store = opened[0]!;
    });

    it('migrating again applies nothing', async () => {
      assert.deepEqual(await migrate(store.dialect), []);
    });

    it('a failing write in a batch rolls back only itself', async () => {
      const itwin = await createITwin(store, 'alice', { displayName: 'batch' });
      const imodel = await createIModel(store, 'alice', { iTwinId: itwin.id, name: 'batch' });
      const row = (id: string, storageFileId: string) => ({
        id,
        connection: {
          id,
          imodel_id: imodel.id,
          itwin_id: itwin.id,
          display_name: id,
          authentication_type: 'User',
          created_by: 'alice',
          created_at: new Date().toISOString(),
          last_run_id: null,
        },
        file: {
          id: `${id}-sf`,
          connection_id: id,
          imodel_id: imodel.id,
          storage_file_id: storageFileId,
          connector_type: 'IFC',
          created_at: new Date().toISOString(),
        },
      });
      const write = (r: ReturnType<typeof row>) =>
        store.writeSql(async (trx) => {
          await trx.insertInto('storage_connections').values(r.connection).execute();
          await trx.insertInto('source_files').values(r.file).execute();
          return r.id;
        });
      // Submitted in the same tick: they share one transaction. The third maps the same file again.
      const results = await Promise.allSettled([
        write(row('c1', 'file-1')),
        write(row('c2', 'file-2')),
        write(row('c3', 'file-1')),
        write(row('c4', 'file-4')),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
      );
      assert.ok(store.dialect.isUniqueViolation((results[2] as PromiseRejectedResult).reason));
      const connections = await store.db.selectFrom('storage_connections').select('id').where('imodel_id', '=', imodel.id).orderBy('id').execute();
      assert.deepEqual(
        connections.map((c) => c.id),
        ['c1', 'c2', 'c4'],
        'c3 left nothing behind, not even its connection row',
      );
    });

    it('deleting an iModel removes its connections and their source files', async () => {
      const itwin = await createITwin(store, 'alice', { displayName: 'cascade' });
      const imodel = await createIModel(store, 'alice', { iTwinId: itwin.id, name: 'cascade' });
      await store.writeSql(async (trx) => {
        await trx
          .insertInto('storage_connections')
          .values({
            id: 'cx',
            imodel_id: imodel.id,
            itwin_id: itwin.id,
            display_name: '',
            authentication_type: 'User',
            created_by: 'alice',
            created_at: '',
            last_run_id: null,
          })
          .execute();
        await trx
          .insertInto('source_files')
          .values({ id: 'sx', connection_id: 'cx', imodel_id: imodel.id, storage_file_id: 'f', connector_type: 'IFC', created_at: '' })
          .execute();
      });
      await store.writeSql((trx) => trx.deleteFrom('imodels').where('id', '=', imodel.id).execute());
      assert.equal(await store.db.selectFrom('source_files').select('id').where('id', '=', 'sx').executeTakeFirst(), undefined);
    });
  });
}
