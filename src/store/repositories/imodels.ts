import type { Kysely } from 'kysely';
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
