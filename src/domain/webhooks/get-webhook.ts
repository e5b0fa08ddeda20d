import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { webhookForOwner } from './access.js';
import type { Webhook } from './model.js';

export function getWebhook(store: Store, caller: Caller, id: string): Promise<Webhook> {
  return webhookForOwner(store, caller, id);
}
