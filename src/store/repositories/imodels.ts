import type { Kysely } from 'kysely';
import type { Extent, IModel } from '../../domain/imodels/model.js';
import type { IModelChange, IModelRepository } from '../../domain/imodels/repository.js';
import type { Page } from '../../domain/paging.js';
import { sortsAfter } from '../keyset.js';
import type { Scope } from '../scope.js';
import type { Database, IModelRow } from '../schema.js';

type Db = Kysely<Database>;

/** iModels over SQL. */
export class SqlIModels implements IModelRepository {
  constructor(private readonly scope: Scope) {}

  async find(id: string): Promise<IModel | undefined> {
    const row = await findIModel(this.scope.db, id);
    return row && imodelFromRow(row);
  }

  async insert(imodel: IModel): Promise<boolean> {
    try {
      // The violation fails the write itself (not caught inside it): outside a transaction the
      // batcher then rolls back only this write, where a caught one would abort the whole batch.
      await this.scope.write(async (db) => {
        await db.insertInto('imodels').values(rowOf(imodel)).execute();
      });
      return true;
    } catch (error) {
      // Names are unique per iTwin (a unique index decides between concurrent creates).
      if (this.scope.dialect.isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async nameTaken(itwinId: string, name: string): Promise<boolean> {
    const row = await this.scope.db.selectFrom('imodels').select('id').where('itwin_id', '=', itwinId).where('name', '=', name).executeTakeFirst();
    return row !== undefined;
  }

  async update(id: string, change: IModelChange): Promise<boolean> {
    const set: Partial<IModelRow> = {};
    if (change.name !== undefined) set.name = change.name;
    if (change.description !== undefined) set.description = change.description;
    if (change.extent !== undefined) set.extent = change.extent ? JSON.stringify(change.extent) : null;
    if (Object.keys(set).length === 0) return true;
    try {
      // As insert: the violation fails the write itself, so a batch rolls back only this one.
      await this.scope.write(async (db) => {
        await db.updateTable('imodels').set(set).where('id', '=', id).execute();
      });
      return true;
    } catch (error) {
      if (this.scope.dialect.isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async list(itwinId: string, filter: { name?: string }, page: Page): Promise<IModel[]> {
    let query = this.scope.db.selectFrom('imodels').selectAll().where('itwin_id', '=', itwinId);
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    if (page.continuation) query = query.where(sortsAfter(['created_at', 'id'], page.continuation.after));
    const rows = await query
      .orderBy('created_at')
      .orderBy('id')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(imodelFromRow);
  }

  async countIn(itwinId: string): Promise<number> {
    const row = await this.scope.db
      .selectFrom('imodels')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('itwin_id', '=', itwinId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  delete(id: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      // Connections, source files and runs go by foreign key cascades; the changes runs recorded
      // in the iModel have no foreign key.
      await db.deleteFrom('changesets').where('imodel_id', '=', id).execute();
      await db.deleteFrom('named_versions').where('imodel_id', '=', id).execute();
      await db.deleteFrom('change_tracking').where('imodel_id', '=', id).execute();
      const result = await db.deleteFrom('imodels').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async existingIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.scope.db.selectFrom('imodels').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  }
}

async function findIModel(db: Db, id: string): Promise<IModelRow | undefined> {
  return db.selectFrom('imodels').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The extent is a JSON column. */
function rowOf(imodel: IModel): IModelRow {
  return {
    id: imodel.id,
    itwin_id: imodel.iTwinId,
    name: imodel.name,
    description: imodel.description,
    state: imodel.state,
    extent: imodel.extent ? JSON.stringify(imodel.extent) : null,
    created_at: imodel.createdAt,
    created_by: imodel.createdBy,
  };
}

function imodelFromRow(row: IModelRow): IModel {
  return {
    id: row.id,
    iTwinId: row.itwin_id,
    name: row.name,
    description: row.description,
    state: row.state,
    extent: row.extent ? (JSON.parse(row.extent) as Extent) : null,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
