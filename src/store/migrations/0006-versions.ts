import type { Kysely } from 'kysely';
import { changesetIdOf } from '../../domain/versions/model.js';

/**
 * iModel versions. Every task's effect was one row of imodel_changes; it becomes a changeset of
 * the iModel (index from 1, 40-hex id, parent, what it changed, and the size of its checkpoint file
 * when a builtin connector wrote one), still unique per task. Named versions name a changeset (or
 * the baseline, index 0), at most one each.
 *
 * Existing recorded changes become changesets, in the order they were applied. The builtin IFC
 * connector used to keep one standalone iModel per iModel; twinsync writes Snapshot iModels only
 * now, so that content is synchronized again: what runs last synchronized is forgotten here, and
 * the next run of each connection brings every file in afresh (the old files are removed at start).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('changesets')
    .addColumn('imodel_id', 'text', (c) => c.notNull())
    .addColumn('changeset_index', 'integer', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .addColumn('pushed_at', 'text', (c) => c.notNull())
    .addColumn('containing_changes', 'integer', (c) => c.notNull())
    .addColumn('application_id', 'text', (c) => c.notNull())
    .addColumn('application_name', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull().unique())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('source_file_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text')
    /** JSON array of file names. */
    .addColumn('changed_files', 'text', (c) => c.notNull())
    .addColumn('checkpoint_size', 'bigint')
    .addColumn('checkpoint_pruned', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('changesets_pk', ['imodel_id', 'changeset_index'])
    .execute();
  await db.schema.createIndex('changesets_id').unique().on('changesets').columns(['imodel_id', 'id']).execute();

  await db.schema
    .createTable('named_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('imodel_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('changeset_id', 'text')
    .addColumn('changeset_index', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('named_versions_changeset').unique().on('named_versions').columns(['imodel_id', 'changeset_index']).execute();

  const changes = await db
    .selectFrom('imodel_changes as c')
    .leftJoin('runs as r', 'r.id', 'c.run_id')
    .select(['c.task_id', 'c.imodel_id', 'c.run_id', 'c.source_file_id', 'c.action', 'c.content_hash', 'c.summary', 'c.applied_at', 'r.requested_by'])
    .orderBy('c.imodel_id')
    .orderBy('c.applied_at')
    .orderBy('c.task_id')
    .execute();
  let iModelId = '';
  let index = 0;
  let parentId = '';
  for (const change of changes) {
    if (change.imodel_id !== iModelId) [iModelId, index, parentId] = [change.imodel_id, 0, ''];
    index++;
    const id = changesetIdOf(iModelId, index, change.task_id);
    await db
      .insertInto('changesets')
      .values({
        imodel_id: iModelId,
        changeset_index: index,
        id,
        parent_id: parentId,
        description: change.summary ?? (change.action === 'remove' ? 'Removed a source file.' : 'Synchronized a source file.'),
        creator_id: change.requested_by ?? '',
        pushed_at: change.applied_at,
        containing_changes: 0,
        application_id: 'twinsync',
        application_name: 'twinsync',
        task_id: change.task_id,
        run_id: change.run_id,
        source_file_id: change.source_file_id,
        action: change.action,
        content_hash: change.content_hash,
        changed_files: '[]',
        checkpoint_size: null,
        checkpoint_pruned: 0,
      })
      .execute();
    parentId = id;
  }
  await db.schema.dropTable('imodel_changes').execute();
  await db.deleteFrom('synced_files').execute();
}
