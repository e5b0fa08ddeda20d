import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import type { Repositories } from '../store.js';
import type { Webhook } from './model.js';

/**
 * The webhook `id` names, if the caller created it. A webhook belongs to its creator alone (its
 * secret and callback are theirs): anybody else gets the same 404 as for one that does not exist.
 */
export async function webhookForOwner(repos: Pick<Repositories, 'webhooks'>, caller: Caller, id: string): Promise<Webhook> {
  if (!isGuid(id)) throw errors.webhookNotFound();
  const webhook = await repos.webhooks.find(canonicalGuid(id));
  if (!webhook || webhook.ownerId !== caller.subject) throw errors.webhookNotFound();
  return webhook;
}
