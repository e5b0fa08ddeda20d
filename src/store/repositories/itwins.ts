import type { ITwinRepository } from '../../domain/itwins/repository.js';
import type { Scope } from '../scope.js';
import type { Kysely } from 'kysely';
import type { Page } from '../../domain/paging.js';
import type { Database, ITwinMemberRow, ITwinRow } from '../schema.js';

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

/**
 * Takes the iTwin row's write lock for the rest of the transaction (a no-op update). Writes that
 * must not interleave on PostgreSQL (removing members, deleting the iTwin, adding iModels) take it
 * first, so each sees what the others committed. False when the iTwin is gone.
 */
export async function lockITwin(db: Db, id: string): Promise<boolean> {
  const result = await db.updateTable('itwins').set((eb) => ({ status: eb.ref('status') })).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** iTwins `subject` is a member of, oldest first (ties by id), one row beyond the page. */
export async function listITwinsOf(
  db: Db,
  subject: string,
  filter: { subClass?: string; includeInactive: boolean },
  page: Page,
): Promise<ITwinRow[]> {
  let query = db
    .selectFrom('itwins')
    .innerJoin('itwin_members', (j) => j.onRef('itwin_members.itwin_id', '=', 'itwins.id').on('itwin_members.subject', '=', subject))
    .selectAll('itwins');
  if (filter.subClass !== undefined) query = query.where('itwins.sub_class', '=', filter.subClass);
  if (!filter.includeInactive) query = query.where('itwins.status', '!=', 'Inactive');
  return query.orderBy('itwins.created_at').orderBy('itwins.id').offset(page.skip).limit(page.top + 1).execute();
}

/** Its members, folders and files go with it (foreign key cascades). */
export async function deleteITwin(db: Db, id: string): Promise<void> {
  await db.deleteFrom('itwins').where('id', '=', id).execute();
}

export async function listMembers(db: Db, itwinId: string, page: Page): Promise<ITwinMemberRow[]> {
  return db
    .selectFrom('itwin_members')
    .selectAll()
    .where('itwin_id', '=', itwinId)
    .orderBy('created_at')
    .orderBy('subject')
    .offset(page.skip)
    .limit(page.top + 1)
    .execute();
}

export async function findMember(db: Db, itwinId: string, subject: string): Promise<ITwinMemberRow | undefined> {
  return db.selectFrom('itwin_members').selectAll().where('itwin_id', '=', itwinId).where('subject', '=', subject).executeTakeFirst();
}

export async function countMembers(db: Db, itwinId: string): Promise<number> {
  const row = await db
    .selectFrom('itwin_members')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('itwin_id', '=', itwinId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function removeMember(db: Db, itwinId: string, subject: string): Promise<boolean> {
  const result = await db.deleteFrom('itwin_members').where('itwin_id', '=', itwinId).where('subject', '=', subject).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** ITwinRepository over SQL. TODO(issue 11): the functions above become its methods. */
export class SqlITwins implements ITwinRepository {
  // eslint-disable-next-line no-unused-private-class-members -- TODO(issue 11): used once the methods move in
  constructor(protected readonly scope: Scope) {}
}
