import type { Repositories } from '../domain/store.js';
import type { WebhookEvent } from '../domain/webhooks/model.js';
import type { WorkerContext } from './context.js';

/**
 * Applies `write` and records `event` with it, in one transaction: the outbox (docs/webhooks.md).
 * While no active webhook subscribes to the event's type (this process's view, read at most once a
 * second), `write` runs alone, exactly as it would without webhooks: no transaction, no statement
 * added to the worker's path.
 */
export async function withEvent(ctx: WorkerContext, event: WebhookEvent, write: (repos: Repositories) => Promise<void>): Promise<void> {
  if (!(await ctx.store.webhooks.wants(event.eventType, ctx.now()))) return write(ctx.store);
  await ctx.store.write(async (tx) => {
    await write(tx);
    await tx.webhooks.record(event, ctx.now());
  });
}
