import { sql, type Kysely } from 'kysely';
import type { Page } from '../../domain/paging.js';
import type {
  AttemptOutcome,
  ClaimedDelivery,
  Delivery,
  DeliveryState,
  EventType,
  Webhook,
  WebhookChange,
  WebhookEvent,
  WebhookScope,
} from '../../domain/webhooks/model.js';
import type { WebhookRepository } from '../../domain/webhooks/repository.js';
import type { Scope } from '../scope.js';
import type { Database } from '../schema.js';
import type { WebhookDeliveryRow, WebhookRow } from '../schema-webhooks.js';

type Db = Kysely<Database>;

/** How long a process trusts its view of which event types active webhooks subscribe to. */
export const SUBSCRIPTIONS_TTL_MS = 1000;

/**
 * Which event types any active webhook subscribes to, as this process last read it: one per store,
 * shared by its transactions. While nobody subscribes to a type, recording an event of it costs no
 * statement at all (the worker's hot path pays nothing for webhooks nobody made); the view is read
 * again at most once a second, and at once after this process changes a webhook.
 */
export class SubscribedTypes {
  private types: ReadonlySet<string> = new Set();
  private readAtMs = Number.NEGATIVE_INFINITY;

  invalidate(): void {
    this.readAtMs = Number.NEGATIVE_INFINITY;
  }

  async has(db: Db, type: string, nowMs: number): Promise<boolean> {
    if (nowMs - this.readAtMs >= SUBSCRIPTIONS_TTL_MS || nowMs < this.readAtMs) {
      const rows = await db.selectFrom('webhooks').select('event_types').distinct().where('active', '=', 1).execute();
      const types = new Set<string>();
      for (const row of rows) for (const t of row.event_types.split(',')) if (t) types.add(t);
      this.types = types;
      this.readAtMs = nowMs;
    }
    return this.types.has(type);
  }
}

/** Webhooks and their outbox over SQL. */
export class SqlWebhooks implements WebhookRepository {
  constructor(
    private readonly scope: Scope,
    private readonly subscribed: SubscribedTypes,
  ) {}

  insert(webhook: Webhook): Promise<void> {
    return this.scope.write(async (db) => {
      await db.insertInto('webhooks').values(webhookRow(webhook)).execute();
    });
  }

  async find(id: string): Promise<Webhook | undefined> {
    const row = await this.scope.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
    return row && webhookFromRow(row);
  }

  async listOf(ownerId: string, page: Page): Promise<Webhook[]> {
    const rows = await this.scope.db
      .selectFrom('webhooks')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .orderBy('created_at')
      .orderBy('id')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(webhookFromRow);
  }

  update(id: string, change: WebhookChange): Promise<void> {
    const set: Partial<WebhookRow> = { updated_at: change.updatedAt };
    if (change.callbackUrl !== undefined) set.callback_url = change.callbackUrl;
    if (change.eventTypes !== undefined) set.event_types = typesColumn(change.eventTypes);
    if (change.secret !== undefined) set.secret = change.secret;
    if (change.active !== undefined) set.active = change.active ? 1 : 0;
    return this.scope.write(async (db) => {
      await db.updateTable('webhooks').set(set).where('id', '=', id).execute();
    });
  }

  delete(id: string): Promise<void> {
    return this.scope.write(async (db) => {
      await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
      await db.deleteFrom('webhooks').where('id', '=', id).execute();
    });
  }

  subscriptionsChanged(): void {
    this.subscribed.invalidate();
  }

  wants(eventType: string, nowMs: number): Promise<boolean> {
    return this.subscribed.has(this.scope.db, eventType, nowMs);
  }

  async record(event: WebhookEvent, nowMs: number): Promise<void> {
    if (!(await this.subscribed.has(this.scope.db, event.eventType, nowMs))) return;
    // One statement: a delivery for each webhook that wants the event, none when no webhook does.
    await this.scope.write((db) => fanOut(db, event, nowMs).execute());
  }

  async deliveriesOf(webhookId: string, page: Page): Promise<Delivery[]> {
    const rows = await this.scope.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('webhook_id', '=', webhookId)
      .orderBy('enqueued_at', 'desc')
      .orderBy('message_id', 'desc')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(deliveryFromRow);
  }

  async claimDue(owner: string, nowMs: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
    const rows = await this.scope.writeOne(async (db) => {
      let due = db
        .selectFrom('webhook_deliveries as d')
        .select('d.id')
        .where('d.state', '=', sql.lit('Pending'))
        .where('d.next_attempt_ms', '<=', nowMs)
        .where('d.lease_expires_ms', '<', nowMs)
        .where((eb) => eb.exists(eb.selectFrom('webhooks as w').select('w.id').whereRef('w.id', '=', 'd.webhook_id').where('w.active', '=', 1)))
        .orderBy('d.next_attempt_ms')
        .limit(limit);
      // PostgreSQL: dispatchers racing skip the rows another is taking. SQLite has one writer at a time.
      // The ids are picked once, as an array: under `id IN (…)` PostgreSQL may plan a semi join that
      // runs the locking subquery again for every candidate row, and its LIMIT then bounds nothing
      // (one dispatcher took every due delivery, whatever WEBHOOK_CONCURRENCY said).
      const postgres = this.scope.dialect.name === 'postgres';
      if (postgres) due = due.forUpdate().skipLocked();
      const claim = db.updateTable('webhook_deliveries').set({ lease_owner: owner, lease_expires_ms: nowMs + leaseMs });
      return (postgres ? claim.where(sql<boolean>`id = any(array${due})`) /* a subquery is written in parentheses */ : claim.where('id', 'in', due))
        .where('state', '=', sql.lit('Pending'))
        .where('lease_expires_ms', '<', nowMs)
        .returningAll()
        .execute();
    });
    if (rows.length === 0) return [];
    const webhookIds = [...new Set(rows.map((r) => r.webhook_id))];
    const hooks = await this.scope.db.selectFrom('webhooks').select(['id', 'callback_url', 'secret']).where('id', 'in', webhookIds).execute();
    const byId = new Map(hooks.map((w) => [w.id, w]));
    const claimed: ClaimedDelivery[] = [];
    for (const row of rows) {
      const hook = byId.get(row.webhook_id);
      // Deleted since the claim: its deliveries went with it.
      if (hook) claimed.push({ ...deliveryFromRow(row), id: row.id, callbackUrl: hook.callback_url, secret: hook.secret });
    }
    return claimed;
  }

  async recordAttempt(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean> {
    const result = await this.scope.writeOne((db) =>
      db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          state: outcome.state,
          attempts: eb('attempts', '+', sql.lit(1)),
          next_attempt_ms: outcome.nextAttemptMs,
          last_status: outcome.status,
          last_error: outcome.error,
          last_attempt_at: outcome.at,
          delivered_at: outcome.state === 'Delivered' ? outcome.at : null,
          lease_owner: null,
          lease_expires_ms: 0,
        }))
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) > 0;
  }
}

/**
 * INSERT … SELECT from the webhooks that want `event`: active, subscribed to its type, and whose
 * creator is a member of the iModel's iTwin (for an iTwin webhook, the iTwin it names). The iTwin is
 * read from the iModel in the same statement.
 */
function fanOut(db: Db, event: WebhookEvent, nowMs: number) {
  const content = JSON.stringify(event.content);
  return db
    .insertInto('webhook_deliveries')
    .columns([
      'id',
      'webhook_id',
      'message_id',
      'event_type',
      'itwin_id',
      'content',
      'enqueued_at',
      'state',
      'attempts',
      'next_attempt_ms',
      'lease_owner',
      'lease_expires_ms',
    ])
    .expression((eb) =>
      eb
        .selectFrom('webhooks as w')
        .innerJoin('imodels as i', (join) => join.on('i.id', '=', event.iModelId))
        .select([
          sql<string>`w.id || ${`:${event.messageId}`}`.as('id'),
          'w.id as webhook_id',
          sql<string>`${event.messageId}`.as('message_id'),
          sql<string>`${event.eventType}`.as('event_type'),
          'i.itwin_id',
          sql<string>`${content}`.as('content'),
          sql<string>`${event.enqueuedAt}`.as('enqueued_at'),
          sql.lit('Pending').as('state'),
          sql.lit(0).as('attempts'),
          sql<number>`cast(${nowMs} as bigint)`.as('next_attempt_ms'),
          sql<null>`null`.as('lease_owner'),
          sql.lit(0).as('lease_expires_ms'),
        ])
        .where('w.active', '=', 1)
        .where('w.event_types', 'like', `%,${event.eventType},%`)
        .where((w) => w.or([w('w.scope', '=', sql.lit('Account')), w('w.scope_id', '=', w.ref('i.itwin_id'))]))
        .where((w) =>
          w.exists(w.selectFrom('itwin_members as m').select('m.subject').whereRef('m.itwin_id', '=', 'i.itwin_id').whereRef('m.subject', '=', 'w.owner_id')),
        ),
    );
}

function typesColumn(types: readonly string[]): string {
  return `,${types.join(',')},`;
}

function webhookRow(w: Webhook): WebhookRow {
  return {
    id: w.id,
    owner_id: w.ownerId,
    callback_url: w.callbackUrl,
    secret: w.secret,
    event_types: typesColumn(w.eventTypes),
    scope: w.scope,
    scope_id: w.scopeId,
    active: w.active ? 1 : 0,
    created_at: w.createdAt,
    updated_at: w.updatedAt,
  };
}

function webhookFromRow(row: WebhookRow): Webhook {
  return {
    id: row.id,
    ownerId: row.owner_id,
    callbackUrl: row.callback_url,
    secret: row.secret,
    eventTypes: row.event_types.split(',').filter(Boolean) as EventType[],
    scope: row.scope as WebhookScope,
    scopeId: row.scope_id,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function deliveryFromRow(row: WebhookDeliveryRow): Delivery {
  return {
    webhookId: row.webhook_id,
    messageId: row.message_id,
    eventType: row.event_type,
    iTwinId: row.itwin_id,
    content: JSON.parse(row.content) as Record<string, unknown>,
    enqueuedAt: row.enqueued_at,
    state: row.state as DeliveryState,
    attempts: row.attempts,
    nextAttemptMs: Number(row.next_attempt_ms),
    lastStatus: row.last_status,
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
  };
}
