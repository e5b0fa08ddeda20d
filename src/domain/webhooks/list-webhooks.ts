import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import type { Webhook } from './model.js';

/** The caller's webhooks, oldest first. */
export async function listWebhooks(store: Store, caller: Caller, query: Record<string, unknown>): Promise<Paged<Webhook>> {
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidWebhookRequest(details);
  return toPaged(await store.webhooks.listOf(caller.subject, page), page);
}
