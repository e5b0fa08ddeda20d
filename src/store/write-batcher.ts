import { sql, type Kysely, type Transaction } from 'kysely';
import type { StoreDialect } from './dialect.js';
import { CommitUnknown, storeFailure } from '../domain/failures.js';
import type { Database } from './schema.js';

export type WriteWork<T> = (trx: Transaction<Database>) => Promise<T>;

/** A value, or the error of a write that left nothing behind. */
export type Outcome<T = unknown> = { ok: true; value: T } | { ok: false; value: unknown };

/**
 * A kind of write whose instances can run together: `many` does for several inputs, with a few
 * statements for all of them, what `one` does for each, and returns an outcome per input (an
 * error outcome must have left nothing of its input behind). If `many` throws, nothing of it stays
 * and every input runs again alone, with `one`, in a later batch.
 */
export interface Coalesced<I, T> {
  one(trx: Transaction<Database>, input: I): Promise<T>;
  many(trx: Transaction<Database>, inputs: I[]): Promise<Outcome<T>[]>;
  /**
   * Optional: `many` split in two, reads first (`plan`, which writes nothing) and then what writes
   * (`write`), which must be a single statement on a dialect whose statements are round trips
   * (StoreDialect.statementsAreRoundTrips). One statement is atomic on its own, so there a batch
   * made of these writes alone runs without a transaction:
   * two round trips where BEGIN and COMMIT made four. Under READ COMMITTED the reads see no less
   * in a transaction than out of one, and a constraint that refuses the write leaves nothing.
   */
  plan?(db: Kysely<Database>, inputs: I[]): Promise<Planned<T>>;
}

/** What a Coalesced plan decided: an outcome per input, and the one statement that writes them. */
export interface Planned<T> {
  outcomes: Outcome<T>[];
  write?: (db: Kysely<Database>) => Promise<unknown>;
}

interface Pending {
  work: WriteWork<unknown>;
  /** The same work without a transaction (see Coalesced.plan), where the dialect gains by it. */
  direct?: (db: Kysely<Database>) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  coalesce?: { kind: Coalesced<unknown, unknown>; input: unknown };
}

/** Thrown out of an optimistic batch to roll it back: one of its writes failed. */
class WriteFailed extends Error {}

/** Batches that go straight to savepoints after an optimistic batch failed. */
const SAVEPOINT_BATCHES_AFTER_FAILURE = 16;

/**
 * Group commit. Writes that arrive while a batch is being committed wait for the next one, and
 * every batch is a single transaction: one commit (one WAL flush) pays for many requests.
 * A batch first runs optimistically, its writes one after another with nothing between them. If
 * one of them fails (a 409, a 422), that transaction is rolled back whole and the batch runs again
 * with each write in its own savepoint, so that the failure rolls back only that write; for a while
 * after such a failure, batches go straight to savepoints. Savepoints cost two statements per write
 * (two round trips on PostgreSQL), which the common case, where nothing fails, no longer pays.
 * Promises settle only after the commit, so nothing is acknowledged before it is durable.
 * One exception to "a batch is a transaction": on PostgreSQL, a batch made only of one Coalesced
 * kind's writes that has a `plan` runs as its plan's reads and one writing statement, with no
 * transaction (see Coalesced.plan); that statement's own commit is what settles the promises.
 */
export class WriteBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private savepointBatches = 0;

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

  /** Like run(kind.one(input)), but joined with the other writes of the same kind in its batch. */
  runCoalesced<I, T>(kind: Coalesced<I, T>, input: I): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const coalesce = { kind: kind as Coalesced<unknown, unknown>, input };
      const direct = this.runsPlans(kind)
        ? async (db: Kysely<Database>) => {
            const [outcome] = await planThenWrite(kind, db, [input]);
            if (!outcome!.ok) throw outcome!.value;
            return outcome!.value;
          }
        : undefined;
      this.queue.push({ work: (trx) => kind.one(trx, input), direct, resolve: resolve as (value: unknown) => void, reject, coalesce });
      this.schedule();
    });
  }

  /**
   * The batch with the writes of each coalesced kind (two or more) replaced by one write that does
   * them all, where the first of them was. If it fails, they go back to the head of the queue, each
   * on its own.
   */
  private coalesced(batch: Pending[]): Pending[] {
    const groups = new Map<Coalesced<unknown, unknown>, Pending[]>();
    for (const item of batch) {
      if (!item.coalesce) continue;
      let group = groups.get(item.coalesce.kind);
      if (!group) groups.set(item.coalesce.kind, (group = []));
      group.push(item);
    }
    if (![...groups.values()].some((group) => group.length > 1)) return batch;
    const units: Pending[] = [];
    for (const item of batch) {
      const group = item.coalesce && groups.get(item.coalesce.kind);
      if (!group || group.length < 2) units.push(item);
      else if (group[0] === item) units.push(this.together(item.coalesce!.kind, group));
    }
    return units;
  }

  private together(kind: Coalesced<unknown, unknown>, group: Pending[]): Pending {
    const inputs = group.map((item) => item.coalesce!.input);
    return {
      work: (trx) => kind.many(trx, inputs),
      direct: this.runsPlans(kind) ? (db) => planThenWrite(kind, db, inputs) : undefined,
      resolve: (outcomes) => {
        group.forEach((item, i) => {
          const outcome = (outcomes as Outcome[])[i]!;
          if (outcome.ok) item.resolve(outcome.value);
          else item.reject(outcome.value);
        });
      },
      reject: (error) => {
        // Perhaps committed: running them again could apply them twice.
        if (error instanceof CommitUnknown) {
          for (const item of group) item.reject(error);
          return;
        }
        // Each as a plain write now: neither joined again nor run without a transaction.
        this.queue.unshift(...group.map(({ coalesce: _, direct: __, ...item }) => item));
        this.schedule();
      },
    };
  }

  /** Whether writes of this kind run without a transaction when they make a batch alone (Coalesced.plan). */
  private runsPlans(kind: Coalesced<unknown, unknown>): boolean {
    return kind.plan !== undefined && this.dialect.statementsAreRoundTrips;
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0 || this.inFlight >= this.dialect.maxConcurrentBatches) return;
    this.scheduled = true;
    // setImmediate lets every request already parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      const batch = this.coalesced(this.queue.splice(0, this.maxBatchSize));
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
    const gate = this.dialect.beforeBatch?.();
    if (gate) await gate;
    if (batch.length === 1 && batch[0]!.direct && (await this.directly(batch[0]!))) return;
    let outcomes: Outcome[];
    try {
      outcomes = await this.inOneTransaction(batch);
    } catch (error) {
      // The connection was lost during COMMIT: the batch may be committed, so none of it runs again.
      if (error instanceof CommitUnknown) outcomes = batch.map(() => ({ ok: false, value: error }));
      // The batch as a whole failed (a deadlock with another process, a busy database, a lost
      // connection): nothing of it was committed, so each write is retried alone.
      else outcomes = await Promise.all(batch.map((item) => this.alone(item, 3)));
    }
    batch.forEach((item, i) => (outcomes[i]!.ok ? item.resolve(outcomes[i]!.value) : item.reject(outcomes[i]!.value)));
  }

  private async inOneTransaction(batch: Pending[]): Promise<Outcome[]> {
    if (batch.length === 1) return [await this.alone(batch[0]!, 3)];
    if (this.savepointBatches > 0) {
      this.savepointBatches--;
      return this.withSavepoints(batch);
    }
    const outcomes = await this.optimistically(batch);
    if (outcomes) return outcomes;
    this.savepointBatches = SAVEPOINT_BATCHES_AFTER_FAILURE;
    return this.withSavepoints(batch);
  }

  /** Every write succeeded and was committed, or undefined: one failed and nothing was committed. */
  private async optimistically(batch: Pending[]): Promise<Outcome[] | undefined> {
    try {
      return await this.transaction(async (trx) => {
        const outcomes: Outcome[] = [];
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: await item.work(trx) });
          } catch (error) {
            if (this.dialect.isRetryable(error)) throw error;
            throw new WriteFailed();
          }
        }
        // A write that caught a statement's error and returned normally can leave a PostgreSQL
        // transaction aborted: its COMMIT then rolls back, which Kysely turns into an error, so
        // the batch is retried write by write (commit below) instead of acknowledged.
        return outcomes;
      });
    } catch (error) {
      if (error instanceof WriteFailed) return undefined;
      throw error;
    }
  }

  private withSavepoints(batch: Pending[]): Promise<Outcome[]> {
    return this.transaction(async (trx) => {
      const outcomes: Outcome[] = [];
      for (const item of batch) {
        await sql`savepoint batch_item`.execute(trx);
        try {
          const value = await item.work(trx);
          await sql`release savepoint batch_item`.execute(trx);
          outcomes.push({ ok: true, value });
        } catch (error) {
          if (this.dialect.isRetryable(error)) throw error;
          // After some errors (SQLite's disk full, a lost connection) the transaction is gone and so
          // is the savepoint: the batch fails with the error that said why, not "no such savepoint".
          try {
            await sql`rollback to savepoint batch_item`.execute(trx);
            await sql`release savepoint batch_item`.execute(trx);
          } catch {
            throw error;
          }
          outcomes.push({ ok: false, value: error });
        }
      }
      return outcomes;
    });
  }

  /**
   * A batch of one unit that can run without a transaction (Coalesced.plan). True when it settled;
   * false when a single write (one with `coalesce`) failed having written nothing, and runs again
   * in a transaction as any batch. A group (`together`'s unit, without `coalesce`) that failed goes
   * back to the queue, each write alone (`together`'s reject).
   */
  private async directly(item: Pending): Promise<boolean> {
    try {
      item.resolve(await item.direct!(this.dialect.db));
      return true;
    } catch (error) {
      if (item.coalesce && !(error instanceof CommitUnknown)) return false;
      item.reject(error);
      return true;
    }
  }

  private async alone(item: Pending, retries: number): Promise<Outcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return { ok: true, value: await this.transaction(item.work) };
      } catch (error) {
        if (attempt >= retries || !this.dialect.isRetryable(error)) return { ok: false, value: error };
      }
    }
  }

  /**
   * One transaction. A lost connection after `work` was done was lost during COMMIT: CommitUnknown,
   * which no caller retries.
   */
  private async transaction<T>(work: WriteWork<T>): Promise<T> {
    let done = false;
    try {
      return await this.dialect.db.transaction().execute(async (trx) => {
        const value = await work(trx);
        done = true;
        return value;
      });
    } catch (error) {
      if (done && storeFailure(error) === 'unavailable') throw new CommitUnknown(error);
      throw error;
    }
  }

  /** Resolves once everything queued so far has been committed or rejected. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * A Coalesced kind's plan and its write, with no transaction around them, on one connection of the
 * pool. The write is one statement: a connection lost while it ran may have committed it
 * (CommitUnknown, never retried); any other failure of either part, and a connection that could not
 * be had at all, left nothing behind.
 */
async function planThenWrite(kind: Coalesced<unknown, unknown>, db: Kysely<Database>, inputs: unknown[]): Promise<Outcome[]> {
  return db.connection().execute(async (connection) => {
    const planned = await kind.plan!(connection, inputs);
    if (planned.write) {
      try {
        await planned.write(connection);
      } catch (error) {
        if (storeFailure(error) === 'unavailable') throw new CommitUnknown(error);
        throw error;
      }
    }
    return planned.outcomes;
  });
}
