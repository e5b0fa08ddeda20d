import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { EventsConfig } from '../config.js';
import type { Store } from '../domain/store.js';
import { attemptOutcome, deliveryBody, signature } from '../domain/webhooks/delivery.js';
import type { ClaimedDelivery } from '../domain/webhooks/model.js';
import type { WorkerLog } from './context.js';
import { postEvent } from './webhook-post.js';

/**
 * Sends the outbox's events to their webhooks. Claims due deliveries by lease (like runs: any number
 * of dispatchers, in any number of processes, may share a store, and each delivery is attempted by
 * one at a time), POSTs them, and records each attempt. A dispatcher killed mid-attempt leaves the
 * lease to expire (the timeout plus a margin) and the delivery is attempted again: receivers see an
 * event at least once, and deduplicate on its messageId.
 */
export class WebhookDispatcher {
  readonly owner = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}-webhooks`;
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private wakeIdle?: () => void;

  constructor(
    private readonly store: Store,
    private readonly settings: EventsConfig,
    private readonly log: WorkerLog,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops claiming; attempts in flight finish (each within the timeout). */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wakeIdle?.();
    await this.loop;
  }

  private get leaseMs(): number {
    return this.settings.webhookTimeoutMs + 5000;
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let claimed: ClaimedDelivery[] = [];
      try {
        claimed = await this.store.webhooks.claimDue(this.owner, this.now(), this.leaseMs, this.settings.webhookConcurrency);
      } catch (error) {
        this.log.warn({ err: error }, 'webhook deliveries could not be claimed');
      }
      if (claimed.length > 0) {
        await Promise.all(claimed.map((d) => this.attempt(d)));
        // A full batch: more may be due at once.
        if (claimed.length === this.settings.webhookConcurrency) continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.settings.webhookPollMs);
        this.wakeIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeIdle = undefined;
    }
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const body = deliveryBody(delivery);
    const { status, error, detail } = await postEvent(delivery.callbackUrl, body, signature(delivery.secret, body), this.settings.webhookTimeoutMs, {
      allowedHosts: this.settings.allowedHosts,
    });
    // The history gets the generic words; where it went wrong exactly is for the operator only.
    if (detail) this.log.info({ webhookId: delivery.webhookId, messageId: delivery.messageId, detail }, `webhook attempt: ${error}`);
    const outcome = attemptOutcome(delivery, status, error ?? (status === null ? 'no answer' : `answered ${status}`), this.now(), {
      firstMs: this.settings.webhookRetryFirstMs,
      maxMs: this.settings.webhookRetryMaxMs,
      forMs: this.settings.webhookRetryForMs,
    });
    try {
      await this.store.webhooks.recordAttempt(delivery.id, this.owner, outcome);
    } catch (failure) {
      // Not recorded: the lease expires and the event is sent again (at least once).
      this.log.warn({ err: failure, webhookId: delivery.webhookId, messageId: delivery.messageId }, 'a webhook attempt could not be recorded');
    }
    if (outcome.state === 'Failed') {
      this.log.warn({ webhookId: delivery.webhookId, messageId: delivery.messageId, status, error }, 'webhook event given up after its retries');
    }
  }
}
