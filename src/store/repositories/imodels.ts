import type { IModelRepository } from '../../domain/imodels/repository.js';
import type { Scope } from '../scope.js';
import type { Kysely } from 'kysely';
import type { Page } from '../../domain/paging.js';
import type { Database, IModelRow } from '../schema.js';

type Db = Kysely<Database>;

export async function insertIModel(db: Db, row: IModelRow): Promise<void> {
  await db.insertInto('imodels').values(row).execute();
}

/** The iModel, if it exists and `subject` is a member of its iTwin. */
export async function findVisibleIModel(db: Db, id: string, subject: string): Promise<IModelRow | undefined> {
  return db
    .selectFrom('imodels')
    .innerJoin('itwin_members', (j) =>
      j.onRef('itwin_members.itwin_id', '=', 'imodels.itwin_id').on('itwin_members.subject', '=', subject),
    )
    .selectAll('imodels')
    .where('imodels.id', '=', id)
    .executeTakeFirst();
}

export async function findIModel(db: Db, id: string): Promise<IModelRow | undefined> {
  return db.selectFrom('imodels').selectAll().where('id', '=', id).executeTakeFirst();
}

/** iModels of an iTwin, oldest first (ties by id), optionally of one exact name; one row beyond the page. */
export async function listIModels(db: Db, itwinId: string, filter: { name?: string }, page: Page): Promise<IModelRow[]> {
  let query = db.selectFrom('imodels').selectAll().where('itwin_id', '=', itwinId);
  if (filter.name !== undefined) query = query.where('name', '=', filter.name);
  return query.orderBy('created_at').orderBy('id').offset(page.skip).limit(page.top + 1).execute();
}

export async function countIModels(db: Db, itwinId: string): Promise<number> {
  const row = await db
    .selectFrom('imodels')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('itwin_id', '=', itwinId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function iModelNameTaken(db: Db, itwinId: string, name: string): Promise<boolean> {
  return (await db.selectFrom('imodels').select('id').where('itwin_id', '=', itwinId).where('name', '=', name).executeTakeFirst()) !== undefined;
}

/**
 * Its storage connections, their source files and runs go with it (foreign key cascades); the
 * changes runs recorded in it have no foreign key and are deleted here.
 */
export async function deleteIModel(db: Db, id: string): Promise<boolean> {
  await db.deleteFrom('imodel_changes').where('imodel_id', '=', id).execute();
  const result = await db.deleteFrom('imodels').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Of `ids`, those that are iModels. */
export async function existingIModelIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('imodels').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** IModelRepository over SQL. TODO(issue 11): the functions above become its methods. */
export class SqlIModels implements IModelRepository {
  constructor(private readonly scope: Scope) {}

  countIn(itwinId: string): Promise<number> {
    return countIModels(this.scope.db, itwinId);
  }
}
