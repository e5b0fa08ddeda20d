import { createHmac } from 'node:crypto';
import type { AttemptOutcome, Delivery } from './model.js';

/**
 * The body a receiver gets: Bentley's envelope around the event's content. Built from what the
 * outbox stored, so every attempt sends the same bytes (and the same signature, while the secret
 * does not change).
 */
export function deliveryBody(delivery: Delivery): string {
  return JSON.stringify({
    content: delivery.content,
    eventType: delivery.eventType,
    enqueuedDateTime: delivery.enqueuedAt,
    iTwinId: delivery.iTwinId,
    messageId: delivery.messageId,
    webhookId: delivery.webhookId,
  });
}

/** The `Signature` header: `sha256=` and the hexadecimal HMAC-SHA256 of the body with the webhook's secret. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface RetrySchedule {
  /** Wait after the first failed attempt; doubled after each further one. */
  readonly firstMs: number;
  /** The longest wait between two attempts. */
  readonly maxMs: number;
  /** Attempts go on until the event is this old; the first failure after that is the last. */
  readonly forMs: number;
}

/**
 * What an attempt that ended with `status` (null: no answer) means for the delivery: any 2xx
 * delivers it; anything else is retried after an exponential backoff until `forMs` after the event,
 * then it is Failed.
 */
export function attemptOutcome(
  delivery: Pick<Delivery, 'attempts' | 'enqueuedAt'>,
  status: number | null,
  error: string | null,
  nowMs: number,
  schedule: RetrySchedule,
): AttemptOutcome {
  const at = new Date(nowMs).toISOString();
  if (status !== null && status >= 200 && status < 300) return { state: 'Delivered', status, error: null, at, nextAttemptMs: 0 };
  const wait = Math.min(schedule.maxMs, schedule.firstMs * 2 ** Math.min(delivery.attempts, 40));
  const giveUp = nowMs - Date.parse(delivery.enqueuedAt) >= schedule.forMs;
  return { state: giveUp ? 'Failed' : 'Pending', status, error, at, nextAttemptMs: giveUp ? 0 : nowMs + wait };
}
