import type { ConsentRepository } from '../../domain/consent/repository.js';
import type { Scope } from '../scope.js';

/** Consents (`user_consents`) and used consent tickets (`consent_ticket_uses`) over SQL. */
export class SqlConsents implements ConsentRepository {
  constructor(private readonly scope: Scope) {}

  async hasConsented(subject: string): Promise<boolean> {
    const row = await this.scope.db.selectFrom('user_consents').select('subject').where('subject', '=', subject).executeTakeFirst();
    return row !== undefined;
  }

  grant(subject: string, grantedAt: string): Promise<void> {
    return this.scope.write(async (db) => {
      await db
        .insertInto('user_consents')
        .values({ subject, granted_at: grantedAt })
        .onConflict((conflict) => conflict.column('subject').doUpdateSet({ granted_at: grantedAt }))
        .execute();
    });
  }

  useTicket(ticketId: string, expiresAt: string, now: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      // An expired ticket is refused by its expiry, so the row of its use no longer matters.
      await db.deleteFrom('consent_ticket_uses').where('expires_at', '<', now).execute();
      // No unique violation to catch (it would abort a PostgreSQL transaction): a use already
      // recorded simply inserts nothing.
      const result = await db
        .insertInto('consent_ticket_uses')
        .values({ ticket_id: ticketId, expires_at: expiresAt })
        .onConflict((conflict) => conflict.column('ticket_id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    });
  }

  async ticketUsed(ticketId: string): Promise<boolean> {
    const row = await this.scope.db.selectFrom('consent_ticket_uses').select('ticket_id').where('ticket_id', '=', ticketId).executeTakeFirst();
    return row !== undefined;
  }
}
