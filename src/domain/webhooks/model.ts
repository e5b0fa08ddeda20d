/** The event types a webhook may subscribe to (docs/webhooks.md): Bentley's names for them. */
export const EventType = {
  JobCompleted: 'synchronization.jobCompleted.v1',
  ChangesetCreated: 'iModels.changesetCreated.v1',
  NamedVersionCreated: 'iModels.namedVersionCreated.v1',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];
export const EVENT_TYPES: readonly EventType[] = Object.values(EventType);

/** `Account`: events of every iTwin the webhook's creator is a member of; `iTwin`: of the one `scopeId` names. */
export type WebhookScope = 'Account' | 'iTwin';
export const WEBHOOK_SCOPES: readonly WebhookScope[] = ['Account', 'iTwin'];

export interface Webhook {
  id: string;
  /** The subject of the caller who created it: only they see, change or delete it. */
  ownerId: string;
  callbackUrl: string;
  /** The HMAC-SHA256 key of the `Signature` header. */
  secret: string;
  eventTypes: EventType[];
  scope: WebhookScope;
  scopeId: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookChange {
  callbackUrl?: string;
  eventTypes?: EventType[];
  secret?: string;
  active?: boolean;
  updatedAt: string;
}

/**
 * One event, as recorded in the transaction of the change that caused it. `messageId` is the
 * event's id: the same in every attempt and for every webhook, so a receiver deduplicates on it.
 */
export interface WebhookEvent {
  messageId: string;
  eventType: EventType;
  /** Every event is of an iModel; the webhooks it goes to are those of the iModel's iTwin. */
  iModelId: string;
  content: Record<string, unknown>;
  enqueuedAt: string;
}

export type DeliveryState = 'Pending' | 'Delivered' | 'Failed';

/** One event to one webhook, and how its delivery went so far. */
export interface Delivery {
  webhookId: string;
  messageId: string;
  eventType: string;
  iTwinId: string;
  content: Record<string, unknown>;
  enqueuedAt: string;
  state: DeliveryState;
  attempts: number;
  /** When the next attempt is due (epoch ms), while Pending. */
  nextAttemptMs: number;
  /** The receiver's status code of the last attempt; null when it did not answer (refused, timed out). */
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}

/** A delivery a dispatcher holds the lease of, with where and how to send it. */
export interface ClaimedDelivery extends Delivery {
  id: string;
  callbackUrl: string;
  secret: string;
}

/** What one attempt ended with. `nextAttemptMs` null: no more attempts (Delivered, or Failed). */
export interface AttemptOutcome {
  state: DeliveryState;
  status: number | null;
  error: string | null;
  at: string;
  nextAttemptMs: number;
}
