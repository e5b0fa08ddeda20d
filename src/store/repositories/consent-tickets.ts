import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

type Db = Kysely<Database>;

/**
 * Marks a consent ticket used. False if it was used before (the insert found its id): the caller
 * refuses the second use. Uses whose tickets have expired are deleted on the way (an expired ticket
 * is refused by its expiry, so its row no longer matters). Meant for inside a write transaction.
 */
export async function useConsentTicket(db: Db, ticketId: string, expiresAt: string, now: string): Promise<boolean> {
  await db.deleteFrom('consent_ticket_uses').where('expires_at', '<', now).execute();
  const result = await db
    .insertInto('consent_ticket_uses')
    .values({ ticket_id: ticketId, expires_at: expiresAt })
    .onConflict((conflict) => conflict.column('ticket_id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Whether a consent ticket has been used (the consent page refuses it before the user clicks). */
export async function consentTicketUsed(db: Db, ticketId: string): Promise<boolean> {
  const row = await db.selectFrom('consent_ticket_uses').select('ticket_id').where('ticket_id', '=', ticketId).executeTakeFirst();
  return row !== undefined;
}
