import type { Kysely } from 'kysely';
import type { Database, ITwinRow } from '../schema.js';

type Db = Kysely<Database>;

export async function insertITwin(db: Db, row: ITwinRow): Promise<void> {
  await db.insertInto('itwins').values(row).execute();
}

export async function addMember(db: Db, itwinId: string, subject: string, createdAt: string): Promise<void> {
  await db.insertInto('itwin_members').values({ itwin_id: itwinId, subject, created_at: createdAt }).execute();
}

export async function findITwin(db: Db, id: string): Promise<ITwinRow | undefined> {
  return db.selectFrom('itwins').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function isMember(db: Db, itwinId: string, subject: string): Promise<boolean> {
  const row = await db
    .selectFrom('itwin_members')
    .select('itwin_id')
    .where('itwin_id', '=', itwinId)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return row !== undefined;
}
