import type { ConsentRepository } from '../../domain/consent/repository.js';
import type { Scope } from '../scope.js';
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/**
 * Whether `subject` has consented to synchronization running on their behalf (the consent page of
 * `authorizationinformation`). `User` connections of a subject without consent cannot run.
 * Works on the store's `db` and inside a transaction alike.
 */
export async function hasConsented(db: Db, subject: string): Promise<boolean> {
  const row = await db.selectFrom('user_consents').select('subject').where('subject', '=', subject).executeTakeFirst();
  return row !== undefined;
}

/** Records consent; consenting again only moves `granted_at` to the latest grant. */
export async function upsertConsent(db: Db, subject: string, grantedAt: string): Promise<void> {
  await db
    .insertInto('user_consents')
    .values({ subject, granted_at: grantedAt })
    .onConflict((conflict) => conflict.column('subject').doUpdateSet({ granted_at: grantedAt }))
    .execute();
}

/** ConsentRepository over SQL. TODO(issue 11): the functions above become its methods. */
export class SqlConsents implements ConsentRepository {
  // eslint-disable-next-line no-unused-private-class-members -- TODO(issue 11): used once the methods move in
  constructor(protected readonly scope: Scope) {}
}
