import type { Repositories } from '../domain/store.js';
import type { WebhookEvent } from '../domain/webhooks/model.js';
import type { WorkerContext } from './context.js';

/**
 * Applies `write` and records `events` with it, in one transaction: the outbox (docs/webhooks.md).
 * Only the events some active webhook subscribes to are recorded (this process's view, read at
 * most once a second); while there is none, `write` runs alone, exactly as it would without
 * webhooks: no transaction, no statement added to the worker's path.
 */
export async function withEvent(
  ctx: WorkerContext,
  events: WebhookEvent | readonly WebhookEvent[],
  write: (repos: Repositories) => Promise<void>,
): Promise<void> {
  const all = Array.isArray(events) ? events : [events as WebhookEvent];
  const wanted: WebhookEvent[] = [];
  for (const event of all) if (await ctx.store.webhooks.wants(event.eventType, ctx.now())) wanted.push(event);
  if (wanted.length === 0) return write(ctx.store);
  await ctx.store.write(async (tx) => {
    await write(tx);
    for (const event of wanted) await tx.webhooks.record(event, ctx.now());
  });
}
