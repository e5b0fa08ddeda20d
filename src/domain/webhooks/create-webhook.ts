import { randomBytes } from 'node:crypto';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { newGuid } from '../ids.js';
import { itwinForMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import type { Webhook } from './model.js';
import type { NewWebhook } from './webhook-body.js';

/**
 * Creates a webhook of the caller, inactive (as Bentley's are: PATCH `active: true` starts the
 * events). An iTwin webhook names an iTwin the caller is a member of. Without a secret in the body,
 * one is made: 32 random bytes as 64 hexadecimal digits.
 */
export async function createWebhook(store: Store, caller: Caller, input: NewWebhook): Promise<Webhook> {
  if (input.scopeId) await itwinForMember(store, caller, input.scopeId);
  const now = nowIso();
  const webhook: Webhook = {
    id: newGuid(),
    ownerId: caller.subject,
    callbackUrl: input.callbackUrl,
    secret: input.secret ?? randomBytes(32).toString('hex'),
    eventTypes: input.eventTypes,
    scope: input.scope,
    scopeId: input.scopeId,
    active: false,
    createdAt: now,
    updatedAt: now,
  };
  await store.webhooks.insert(webhook);
  return webhook;
}
