import type { Kysely } from 'kysely';

/**
 * A consent ticket is single-use: submitting the consent page records the ticket's id here, in the
 * same transaction as the decision, and a second submission of the same ticket finds it and is
 * refused, whichever process serves it. Rows are kept until the ticket would have expired anyway
 * (`expires_at`), then deleted by later submissions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('consent_ticket_uses')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consent_ticket_uses_expires').on('consent_ticket_uses').column('expires_at').execute();
}
