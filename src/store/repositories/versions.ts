import { sql } from 'kysely';
import type { Page } from '../../domain/paging.js';
import type { TaskAction } from '../../domain/runs/model.js';
import type { Changeset, CheckpointRef, NamedVersion, NamedVersionState } from '../../domain/versions/model.js';
import type {
  ChangesetFilter,
  ChangesetKey,
  NamedVersionChange,
  NamedVersionFilter,
  UserStatistics,
  VersionRepository,
} from '../../domain/versions/repository.js';
import { sortsAfter } from '../keyset.js';
import type { Scope } from '../scope.js';
import type { ChangesetRow, NamedVersionRow } from '../schema-versions.js';

/** Changesets, named versions and kept checkpoints over SQL. */
export class SqlVersions implements VersionRepository {
  constructor(private readonly scope: Scope) {}

  async latestOf(iModelId: string): Promise<Changeset | undefined> {
    const row = await this.scope.db
      .selectFrom('changesets')
      .selectAll()
      .where('imodel_id', '=', iModelId)
      .orderBy('changeset_index', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && changesetFromRow(row);
  }

  append(changeset: Changeset): Promise<void> {
    // The primary key (iModel, index) and the unique task id refuse a second changeset at the same
    // place or for the same task: the transaction fails rather than record a task's effect twice.
    return this.scope.write(async (db) => {
      await db.insertInto('changesets').values(changesetRow(changeset)).execute();
    });
  }

  async findChangeset(iModelId: string, key: ChangesetKey): Promise<Changeset | undefined> {
    let query = this.scope.db.selectFrom('changesets').selectAll().where('imodel_id', '=', iModelId);
    query = 'id' in key ? query.where('id', '=', key.id.toLowerCase()) : query.where('changeset_index', '=', key.index);
    const row = await query.executeTakeFirst();
    return row && changesetFromRow(row);
  }

  async listChangesets(iModelId: string, filter: ChangesetFilter, page: Page): Promise<Changeset[]> {
    let query = this.scope.db.selectFrom('changesets').selectAll().where('imodel_id', '=', iModelId);
    if (filter.afterIndex !== undefined) query = query.where('changeset_index', '>', filter.afterIndex);
    if (filter.lastIndex !== undefined) query = query.where('changeset_index', '<=', filter.lastIndex);
    if (filter.withCheckpoint) query = query.where('checkpoint_size', 'is not', null).where('checkpoint_pruned', '=', 0);
    if (page.continuation) query = query.where(sortsAfter(['changeset_index'], page.continuation.after, filter.order));
    const rows = await query
      .orderBy('changeset_index', filter.order)
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(changesetFromRow);
  }

  async changesetOfTask(taskId: string): Promise<Changeset | undefined> {
    const row = await this.scope.db.selectFrom('changesets').selectAll().where('task_id', '=', taskId).executeTakeFirst();
    return row && changesetFromRow(row);
  }

  async checkpointAtOrBefore(iModelId: string, index: number): Promise<CheckpointRef> {
    const row = await this.scope.db
      .selectFrom('changesets')
      .select(['changeset_index', 'id', 'checkpoint_size'])
      .where('imodel_id', '=', iModelId)
      .where('changeset_index', '<=', index)
      .where('checkpoint_size', 'is not', null)
      .where('checkpoint_pruned', '=', 0)
      .orderBy('changeset_index', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) return { changesetIndex: 0, changesetId: '', size: null };
    return { changesetIndex: row.changeset_index, changesetId: row.id, size: Number(row.checkpoint_size) };
  }

  async prunableCheckpoints(iModelId: string, keepRecent: number): Promise<number[]> {
    const rows = await this.scope.db
      .selectFrom('changesets as c')
      .select('c.changeset_index')
      .where('c.imodel_id', '=', iModelId)
      .where('c.checkpoint_size', 'is not', null)
      .where('c.checkpoint_pruned', '=', 0)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('named_versions as n')
              .select('n.id')
              .whereRef('n.imodel_id', '=', 'c.imodel_id')
              .whereRef('n.changeset_index', '=', 'c.changeset_index'),
          ),
        ),
      )
      .orderBy('c.changeset_index', 'desc')
      .offset(Math.max(1, keepRecent))
      .limit(1_000_000)
      .execute();
    return rows.map((r) => r.changeset_index);
  }

  markPruned(iModelId: string, indexes: readonly number[]): Promise<void> {
    if (indexes.length === 0) return Promise.resolve();
    return this.scope.write(async (db) => {
      await db
        .updateTable('changesets')
        .set({ checkpoint_pruned: 1 })
        .where('imodel_id', '=', iModelId)
        .where('changeset_index', 'in', [...indexes])
        .execute();
    });
  }

  async insertNamedVersion(version: NamedVersion): Promise<boolean> {
    try {
      await this.scope.write(async (db) => {
        await db.insertInto('named_versions').values(namedVersionRow(version)).execute();
      });
      return true;
    } catch (error) {
      // One named version per changeset: the unique index decides between concurrent creates.
      if (this.scope.dialect.isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async findNamedVersion(iModelId: string, id: string): Promise<NamedVersion | undefined> {
    const row = await this.scope.db.selectFrom('named_versions').selectAll().where('imodel_id', '=', iModelId).where('id', '=', id).executeTakeFirst();
    return row && namedVersionFromRow(row);
  }

  async namedVersionAt(iModelId: string, changesetIndex: number): Promise<NamedVersion | undefined> {
    const row = await this.scope.db
      .selectFrom('named_versions')
      .selectAll()
      .where('imodel_id', '=', iModelId)
      .where('changeset_index', '=', changesetIndex)
      .executeTakeFirst();
    return row && namedVersionFromRow(row);
  }

  async listNamedVersions(iModelId: string, filter: NamedVersionFilter, page: Page): Promise<NamedVersion[]> {
    let query = this.scope.db.selectFrom('named_versions').selectAll().where('imodel_id', '=', iModelId);
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    if (filter.state !== undefined) query = query.where('state', '=', filter.state);
    if (filter.search !== undefined) {
      // lower() on both sides: SQLite's LIKE ignores ASCII case only, PostgreSQL's none.
      const pattern = `%${escapeLike(filter.search.toLowerCase())}%`;
      query = query.where((eb) =>
        eb.or([sql<boolean>`lower(name) like ${pattern} escape '\\'`, sql<boolean>`lower(coalesce(description, '')) like ${pattern} escape '\\'`]),
      );
    }
    // Ties (named versions created in the same instant) keep one order from page to page.
    const rows = await query
      .orderBy(filter.orderBy === 'createdDateTime' ? 'created_at' : 'changeset_index', filter.order)
      .orderBy('id')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(namedVersionFromRow);
  }

  updateNamedVersion(iModelId: string, id: string, change: NamedVersionChange): Promise<void> {
    const set: Partial<NamedVersionRow> = {};
    if (change.name !== undefined) set.name = change.name;
    if (change.description !== undefined) set.description = change.description;
    if (change.state !== undefined) set.state = change.state;
    if (Object.keys(set).length === 0) return Promise.resolve();
    return this.scope.write(async (db) => {
      await db.updateTable('named_versions').set(set).where('imodel_id', '=', iModelId).where('id', '=', id).execute();
    });
  }

  async namedVersionsAt(iModelId: string, changesetIndexes: readonly number[]): Promise<NamedVersion[]> {
    if (changesetIndexes.length === 0) return [];
    const rows = await this.scope.db
      .selectFrom('named_versions')
      .selectAll()
      .where('imodel_id', '=', iModelId)
      .where('changeset_index', 'in', [...changesetIndexes])
      .execute();
    return rows.map(namedVersionFromRow);
  }

  async userIdsOf(iModelId: string): Promise<string[]> {
    const pushers = this.scope.db.selectFrom('changesets').select('creator_id as user_id').where('imodel_id', '=', iModelId);
    const namers = this.scope.db.selectFrom('named_versions').select('creator_id as user_id').where('imodel_id', '=', iModelId);
    const rows = await pushers.union(namers).execute();
    return rows.map((r) => r.user_id);
  }

  async userStatistics(iModelId: string, userId: string): Promise<UserStatistics> {
    const pushed = await this.scope.db
      .selectFrom('changesets')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('pushed_at').as('last')])
      .where('imodel_id', '=', iModelId)
      .where('creator_id', '=', userId)
      .executeTakeFirstOrThrow();
    const named = await this.scope.db
      .selectFrom('named_versions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('imodel_id', '=', iModelId)
      .where('creator_id', '=', userId)
      .executeTakeFirstOrThrow();
    return { pushedChangesetsCount: Number(pushed.n), lastChangesetPushDate: pushed.last ?? null, createdVersionsCount: Number(named.n) };
  }
}

export function changesetRow(c: Changeset): ChangesetRow {
  return {
    imodel_id: c.iModelId,
    changeset_index: c.index,
    id: c.id,
    parent_id: c.parentId,
    description: c.description,
    creator_id: c.creatorId,
    pushed_at: c.pushedAt,
    containing_changes: c.containingChanges,
    application_id: c.application.id,
    application_name: c.application.name,
    task_id: c.taskId,
    run_id: c.runId,
    source_file_id: c.sourceFileId,
    action: c.action,
    content_hash: c.contentHash,
    changed_files: JSON.stringify(c.changedFiles),
    checkpoint_size: c.checkpointSize,
    checkpoint_pruned: c.checkpointPruned ? 1 : 0,
    element_changes_id: c.elementChangesId,
  };
}

function changesetFromRow(r: ChangesetRow): Changeset {
  return {
    id: r.id,
    index: Number(r.changeset_index),
    parentId: r.parent_id,
    iModelId: r.imodel_id,
    description: r.description,
    creatorId: r.creator_id,
    pushedAt: r.pushed_at,
    containingChanges: Number(r.containing_changes),
    application: { id: r.application_id, name: r.application_name },
    taskId: r.task_id,
    runId: r.run_id,
    sourceFileId: r.source_file_id,
    action: r.action as TaskAction,
    contentHash: r.content_hash,
    changedFiles: JSON.parse(r.changed_files) as string[],
    checkpointSize: r.checkpoint_size === null ? null : Number(r.checkpoint_size),
    checkpointPruned: Number(r.checkpoint_pruned) === 1,
    elementChangesId: r.element_changes_id ?? null,
  };
}

function namedVersionRow(v: NamedVersion): NamedVersionRow {
  return {
    id: v.id,
    imodel_id: v.iModelId,
    name: v.name,
    description: v.description,
    state: v.state,
    changeset_id: v.changesetId,
    changeset_index: v.changesetIndex,
    created_at: v.createdAt,
    creator_id: v.creatorId,
  };
}

function namedVersionFromRow(r: NamedVersionRow): NamedVersion {
  return {
    id: r.id,
    iModelId: r.imodel_id,
    name: r.name,
    description: r.description,
    state: r.state as NamedVersionState,
    changesetId: r.changeset_id,
    changesetIndex: Number(r.changeset_index),
    createdAt: r.created_at,
    creatorId: r.creator_id,
  };
}

/** `%`, `_` and the escape character itself match themselves in a LIKE pattern. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
