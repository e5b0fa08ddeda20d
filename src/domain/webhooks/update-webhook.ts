import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import type { Store } from '../store.js';
import { webhookForOwner } from './access.js';
import type { Webhook } from './model.js';
import type { WebhookUpdate } from './webhook-body.js';

/**
 * Changes the caller's webhook: its callback, event types, secret, or whether it is active. Events
 * already queued go to the callback and with the secret the webhook has when they are sent; a
 * deactivated webhook's queued events wait until it is active again (or its retries run out).
 */
export async function updateWebhook(store: Store, caller: Caller, id: string, update: WebhookUpdate): Promise<Webhook> {
  const webhook = await webhookForOwner(store, caller, id);
  const updatedAt = nowIso();
  await store.webhooks.update(webhook.id, { ...update, updatedAt });
  // After the commit: this process records the next events with the webhook as it is now.
  store.webhooks.subscriptionsChanged();
  return { ...webhook, ...update, updatedAt };
}
