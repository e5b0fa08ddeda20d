import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import { webhookForOwner } from './access.js';
import type { Delivery } from './model.js';

/** The events queued for the caller's webhook, newest first, with how their delivery went. */
export async function listDeliveries(store: Store, caller: Caller, id: string, query: Record<string, unknown>): Promise<Paged<Delivery>> {
  const webhook = await webhookForOwner(store, caller, id);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidWebhookRequest(details);
  return toPaged(await store.webhooks.deliveriesOf(webhook.id, page), page);
}
