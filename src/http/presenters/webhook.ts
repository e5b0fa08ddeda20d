import type { Delivery, Webhook } from '../../domain/webhooks/model.js';

export function webhookUrl(publicUrl: string, id: string): string {
  return `${publicUrl}/webhooks/${id}`;
}

/**
 * A webhook as the API shows it: exactly the properties Bentley's Webhooks V2 documents, with its
 * names (`created`, `modified`), and never its secret (only the create answer carries it).
 */
export function presentWebhook(w: Webhook) {
  return {
    id: w.id,
    scope: w.scope,
    scopeId: w.scopeId,
    active: w.active,
    callbackUrl: w.callbackUrl,
    eventTypes: w.eventTypes,
    created: w.createdAt,
    modified: w.updatedAt,
  };
}

export function presentDelivery(d: Delivery) {
  return {
    messageId: d.messageId,
    eventType: d.eventType,
    iTwinId: d.iTwinId,
    enqueuedDateTime: d.enqueuedAt,
    state: d.state,
    attempts: d.attempts,
    nextAttemptDateTime: d.state === 'Pending' ? new Date(d.nextAttemptMs).toISOString() : null,
    lastAttemptDateTime: d.lastAttemptAt,
    lastStatusCode: d.lastStatus,
    lastError: d.lastError,
    deliveredDateTime: d.deliveredAt,
    content: d.content,
  };
}
