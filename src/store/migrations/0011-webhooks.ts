import { sql, type Kysely } from 'kysely';

/**
 * Webhooks and their outbox (docs/webhooks.md).
 *
 * `webhooks`: one subscription of a caller; `event_types` is the subscribed types as
 * `,type1,type2,` so that one LIKE finds the webhooks of an event inside the statement that records
 * it, on both dialects. `webhook_deliveries`: the outbox, one row per event and webhook, written in
 * the transaction of the change that caused the event; a dispatcher claims due rows by lease
 * (`lease_owner`, `lease_expires_ms`), as workers claim runs, and records each attempt's outcome.
 * Its id is `<webhook id>:<message id>`; the message id is the event's, the same for every webhook.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('callback_url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_by_owner').on('webhooks').columns(['owner_id', 'created_at', 'id']).execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('itwin_id', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('enqueued_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_ms', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_ms', 'bigint', (c) => c.notNull())
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('delivered_at', 'text')
    .execute();
  await db.schema.createIndex('webhook_deliveries_of_webhook').on('webhook_deliveries').columns(['webhook_id', 'enqueued_at', 'message_id']).execute();
  // The dispatcher's look-up: only pending rows are in the index, so delivered history costs it nothing.
  await sql`create index webhook_deliveries_due on webhook_deliveries (next_attempt_ms) where state = 'Pending'`.execute(db);
}
