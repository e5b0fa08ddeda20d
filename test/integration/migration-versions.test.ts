import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Kysely } from 'kysely';
import { changesetIdOf } from '../../src/domain/versions/model.js';
import { openDialect } from '../../src/store/dialect.js';
import { migrate } from '../../src/store/migrate.js';
import { migrations } from '../../src/store/migrations/index.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

/**
 * Migration 0006 on a database of the previous release: the changes runs recorded become
 * changesets, in the order they were applied, and what was synchronized is forgotten so that the
 * next runs bring the content into Snapshot iModels afresh.
 */
for (const target of storeTargets) {
  describe(`migration 0006: recorded changes become changesets [${target.name}]`, { skip: target.skip }, () => {
    let db: TestDatabase | undefined;
    after(async () => db?.drop());

    it('numbers each iModel’s changes from 1 in applied order, chains their parents, and forgets synchronized files', async () => {
      db = await target.create();
      const dialect = await openDialect({ databaseUrl: db.databaseUrl, schema: db.schema });
      try {
        const before = migrations.findIndex((m) => m.name === '0006-versions');
        await migrate(dialect, migrations.slice(0, before));
        // The tables of the previous release, which the current row types no longer describe.
        const old = dialect.db as unknown as Kysely<any>;
        const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, s)).toISOString();
        await old
          .insertInto('itwins')
          .values({
            id: 'tw',
            display_name: 'T',
            class: 'Endeavor',
            sub_class: 'Project',
            type: null,
            number: null,
            status: 'Active',
            extra: null,
            root_folder_id: 'rf',
            created_at: at(0),
            created_by: 'alice',
          })
          .execute();
        await old
          .insertInto('imodels')
          .values({ id: 'im', itwin_id: 'tw', name: 'M', description: null, state: 'initialized', extent: null, created_at: at(0), created_by: 'alice' })
          .execute();
        await old
          .insertInto('storage_connections')
          .values({
            id: 'sc',
            imodel_id: 'im',
            itwin_id: 'tw',
            display_name: 'c',
            authentication_type: 'Service',
            created_by: 'alice',
            created_at: at(0),
            last_run_id: null,
          })
          .execute();
        const change = (task: string, imodel: string, s: number) => ({
          task_id: task,
          imodel_id: imodel,
          run_id: 'r',
          source_file_id: 'sf',
          action: 'sync',
          content_hash: 'h',
          summary: `task ${task}`,
          applied_at: at(s),
        });
        // Inserted out of order: the migration orders by time applied.
        await old
          .insertInto('imodel_changes')
          .values([change('t2', 'im', 2), change('t1', 'im', 1), change('t3', 'other', 1)])
          .execute();
        await old
          .insertInto('synced_files')
          .values({
            connection_id: 'sc',
            source_file_id: 'sf',
            storage_file_id: 'f',
            file_name: 'a.ifc',
            connector_type: 'IFC',
            content_hash: 'h',
            run_id: 'r',
            synced_at: at(2),
          })
          .execute();

        // 0006 and every migration after it.
        assert.deepEqual(
          await migrate(dialect),
          migrations.slice(before).map((m) => m.name),
        );
        const rows = await dialect.db.selectFrom('changesets').selectAll().orderBy('imodel_id').orderBy('changeset_index').execute();
        const id1 = changesetIdOf('im', 1, 't1');
        assert.deepEqual(
          rows.map((r) => [r.imodel_id, r.changeset_index, r.id, r.parent_id, r.task_id, r.description, r.checkpoint_size]),
          [
            ['im', 1, id1, '', 't1', 'task t1', null],
            ['im', 2, changesetIdOf('im', 2, 't2'), id1, 't2', 'task t2', null],
            ['other', 1, changesetIdOf('other', 1, 't3'), '', 't3', 'task t3', null],
          ],
        );
        assert.deepEqual(await dialect.db.selectFrom('synced_files').selectAll().execute(), []);
        await assert.rejects(old.selectFrom('imodel_changes').selectAll().execute(), 'imodel_changes is gone');
      } finally {
        await dialect.close();
      }
    });
  });
}
