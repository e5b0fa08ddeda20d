import type { Kysely, Transaction } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { Database } from './schema.js';
import type { Coalesced, WriteBatcher } from './write-batcher.js';

type Db = Kysely<Database>;

/**
 * Where a repository's queries run: on the store's own connection(s), or inside a transaction that
 * the domain opened with Store.write. Repositories call `write` for anything that changes data, and
 * do not need to know which of the two they are in: outside a transaction the write becomes a
 * group-committed transaction of its own, inside one it simply runs there.
 */
export interface Scope {
  /** Kysely on the whole database, or the transaction. */
  readonly db: Db;
  readonly dialect: StoreDialect;
  write<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * A write that is one statement, atomic by itself. Outside a transaction on PostgreSQL it runs
   * straight on a pooled connection and commits alone: one round trip where a transaction of its
   * own costs three. Elsewhere (SQLite, or inside a transaction) it is `write`.
   */
  writeOne<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * As writeOne, for a worker's progress that its lease makes safe to lose in a crash of the database
   * server (a claim, a plan, a task's start): on PostgreSQL its commit does not wait for the flush of
   * the write-ahead log (StoreDialect.progressDb). Never for what a client is answered or told.
   */
  writeProgress<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Outside a transaction: `kind.one(input)`, or one `kind.many` for all writes of that kind in
   * the same batch (see WriteBatcher; on PostgreSQL, without a transaction where the kind has a
   * `plan`). Inside a transaction: `kind.one(input)` there.
   */
  writeCoalesced<I, T>(kind: Coalesced<I, T>, input: I): Promise<T>;
}

export function storeScope(dialect: StoreDialect, batcher: WriteBatcher): Scope {
  return {
    db: dialect.db,
    dialect,
    write: (work) => batcher.run(work),
    writeOne: (work) => (dialect.statementsAreRoundTrips ? work(dialect.db) : batcher.run(work)),
    writeProgress: (work) => (dialect.statementsAreRoundTrips ? work(dialect.progressDb) : batcher.run(work)),
    writeCoalesced: (kind, input) => batcher.runCoalesced(kind, input),
  };
}

export function transactionScope(dialect: StoreDialect, trx: Transaction<Database>): Scope {
  return {
    db: trx,
    dialect,
    write: (work) => work(trx),
    writeOne: (work) => work(trx),
    writeProgress: (work) => work(trx),
    writeCoalesced: (kind, input) => kind.one(trx, input),
  };
}
