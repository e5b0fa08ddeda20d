import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { webhookForOwner } from './access.js';

/** Deletes the caller's webhook and its deliveries, sent or not. */
export async function deleteWebhook(store: Store, caller: Caller, id: string): Promise<void> {
  const webhook = await webhookForOwner(store, caller, id);
  await store.webhooks.delete(webhook.id);
  store.webhooks.subscriptionsChanged();
}
