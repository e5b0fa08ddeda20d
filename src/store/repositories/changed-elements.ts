import { sql } from 'kysely';
import type { ChangedElementsRepository, ChangesetRecord, ChangeTracking } from '../../domain/changed-elements/repository.js';
import type { Scope } from '../scope.js';

/** Change tracking over SQL (migration 0016): one row per iModel, and each changeset's element changes blob. */
export class SqlChangedElements implements ChangedElementsRepository {
  constructor(private readonly scope: Scope) {}

  async tracking(iModelId: string): Promise<ChangeTracking | undefined> {
    const row = await this.scope.db.selectFrom('change_tracking').select(['enabled', 'from_index']).where('imodel_id', '=', iModelId).executeTakeFirst();
    return row && { enabled: Number(row.enabled) === 1, fromIndex: Number(row.from_index) };
  }

  setTracking(iModelId: string, enable: boolean, at: string): Promise<void> {
    return this.scope.writeOne(async (db) => {
      // The index after the latest changeset, read by the statement that writes it: a changeset
      // committed before it is not tracked, one committed after it is.
      const next = sql<number>`(select coalesce(max(changeset_index), 0) + 1 from changesets where imodel_id = ${iModelId})`;
      await db
        .insertInto('change_tracking')
        .values({ imodel_id: iModelId, enabled: enable ? 1 : 0, from_index: next, updated_at: at })
        .onConflict((conflict) =>
          conflict.column('imodel_id').doUpdateSet({
            enabled: enable ? 1 : 0,
            // Enabled again while enabled: tracked since the first time. Enabled after a pause: since now.
            from_index: enable
              ? sql<number>`case when change_tracking.enabled = 1 then change_tracking.from_index else excluded.from_index end`
              : sql<number>`change_tracking.from_index`,
            updated_at: at,
          }),
        )
        .execute();
    });
  }

  async changesetsBetween(iModelId: string, fromIndex: number, toIndex: number): Promise<ChangesetRecord[]> {
    const rows = await this.scope.db
      .selectFrom('changesets')
      .select(['changeset_index', 'id', 'element_changes_id'])
      .where('imodel_id', '=', iModelId)
      .where('changeset_index', '>=', fromIndex)
      .where('changeset_index', '<=', toIndex)
      .orderBy('changeset_index', 'asc')
      .execute();
    return rows.map((r) => ({ index: Number(r.changeset_index), id: r.id, elementChangesId: r.element_changes_id }));
  }
}
