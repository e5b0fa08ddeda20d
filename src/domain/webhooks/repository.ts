import type { Page } from '../paging.js';
import type { AttemptOutcome, ClaimedDelivery, Delivery, Webhook, WebhookChange, WebhookEvent } from './model.js';

/**
 * Persistence of webhooks and of the outbox of their events (implemented in
 * src/store/repositories/webhooks.ts). `record` runs inside the transaction of the change that
 * causes the event, so the event is committed with it or not at all.
 */
export interface WebhookRepository {
  insert(webhook: Webhook): Promise<void>;
  find(id: string): Promise<Webhook | undefined>;
  /** The owner's webhooks, oldest first, one beyond the page. */
  listOf(ownerId: string, page: Page): Promise<Webhook[]>;
  update(id: string, change: WebhookChange): Promise<void>;
  /** The webhook and every delivery of it. */
  delete(id: string): Promise<void>;
  /**
   * Webhooks were created, changed or deleted: this process's view of which event types anybody
   * subscribes to is read again at the next event. Call it after the change committed.
   */
  subscriptionsChanged(): void;

  /**
   * Queues the event for every active webhook that wants it: subscribed to its type, and whose
   * creator is a member of its iTwin (and, for an iTwin webhook, of that iTwin). Costs no statement
   * while no active webhook of this deployment subscribes to the type (as this process last read it,
   * at most a second ago, or since its own last change of webhooks).
   */
  record(event: WebhookEvent, nowMs: number): Promise<void>;
  /** Whether an active webhook may want events of this type (the view `record` uses, no statement while fresh). */
  wants(eventType: string, nowMs: number): Promise<boolean>;
  /** The webhook's deliveries, newest first, one beyond the page. */
  deliveriesOf(webhookId: string, page: Page): Promise<Delivery[]>;

  // --- The dispatcher ---
  /**
   * Takes the lease, for `owner` until `nowMs + leaseMs`, of up to `limit` Pending deliveries that
   * are due, of active webhooks, whose lease is free or expired. Of dispatchers racing, each
   * delivery goes to one.
   */
  claimDue(owner: string, nowMs: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]>;
  /** Records an attempt and frees the lease; false (nothing changed) when the lease is no longer `owner`'s. */
  recordAttempt(id: string, owner: string, outcome: AttemptOutcome): Promise<boolean>;
}
