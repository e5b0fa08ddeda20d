import { sql, type Transaction } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';

export type WriteWork<T> = (trx: Transaction<Database>) => Promise<T>;

interface Pending {
  work: WriteWork<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Outcome {
  ok: boolean;
  value: unknown;
}

/**
 * Group commit. Writes that arrive while a batch is being committed wait for the next one, and
 * every batch is a single transaction: one commit (one WAL flush) pays for many requests.
 * Each write runs inside its own savepoint, so one write's failure (a 409, a 422) rolls back only
 * that write. Promises settle only after the commit, so nothing is acknowledged before it is durable.
 */
export class WriteBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly dialect: StoreDialect,
    private readonly maxBatchSize = 256,
  ) {}

  run<T>(work: WriteWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.dialect.maxConcurrentBatches) return;
    this.scheduled = true;
    // setImmediate lets every request already parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.queue.splice(0, this.maxBatchSize);
      if (batch.length === 0) return;
      this.inFlight++;
      void this.commit(batch).finally(() => {
        this.inFlight--;
        this.schedule();
      });
      this.schedule();
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.inOneTransaction(batch);
    } catch {
      // The batch as a whole failed (a deadlock with another process, a busy database, a lost
      // connection): nothing of it was committed, so each write is retried alone.
      outcomes = await Promise.all(batch.map((item) => this.alone(item, 3)));
    }
    batch.forEach((item, i) => (outcomes[i]!.ok ? item.resolve(outcomes[i]!.value) : item.reject(outcomes[i]!.value)));
  }

  private inOneTransaction(batch: Pending[]): Promise<Outcome[]> {
    if (batch.length === 1) return this.alone(batch[0]!, 3).then((o) => [o]);
    return this.dialect.db.transaction().execute(async (trx) => {
      const outcomes: Outcome[] = [];
      for (const item of batch) {
        await sql`savepoint batch_item`.execute(trx);
        try {
          const value = await item.work(trx);
          await sql`release savepoint batch_item`.execute(trx);
          outcomes.push({ ok: true, value });
        } catch (error) {
          if (this.dialect.isRetryable(error)) throw error;
          await sql`rollback to savepoint batch_item`.execute(trx);
          await sql`release savepoint batch_item`.execute(trx);
          outcomes.push({ ok: false, value: error });
        }
      }
      return outcomes;
    });
  }

  private async alone(item: Pending, retries: number): Promise<Outcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return { ok: true, value: await this.dialect.db.transaction().execute(item.work) };
      } catch (error) {
        if (attempt >= retries || !this.dialect.isRetryable(error)) return { ok: false, value: error };
      }
    }
  }

  /** Resolves once everything queued so far has been committed or rejected. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  }
}
