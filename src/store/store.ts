import type { Kysely } from 'kysely';
import pg from 'pg';
import { openDialect, type OpenOptions, type StoreDialect } from './dialect.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { WriteBatcher, type Coalesced, type WriteWork } from './write-batcher.js';

// int8 (bigint) columns hold file sizes, far below 2^53: read them as numbers, not strings.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/** The one store: Kysely over SQLite or PostgreSQL, migrated at open, with group-committed writes. */
export class Store {
  private readonly batcher: WriteBatcher;

  private constructor(readonly dialect: StoreDialect) {
    this.batcher = new WriteBatcher(dialect);
  }

  static async open(options: OpenOptions): Promise<Store> {
    const dialect = await openDialect(options);
    try {
      await migrate(dialect);
    } catch (error) {
      await dialect.close();
      throw error;
    }
    return new Store(dialect);
  }

  /** Reads outside any transaction. */
  get db(): Kysely<Database> {
    return this.dialect.db;
  }

  /**
   * Runs `work` in a transaction shared with other writes of the same moment (see WriteBatcher).
   * `work` must only touch the database through `trx`, and may run again if the batch is retried.
   */
  write<T>(work: WriteWork<T>): Promise<T> {
    return this.batcher.run(work);
  }

  /**
   * Runs `kind.one(input)` like write() does, unless other writes of the same kind are in the same
   * batch: then one `kind.many` does them all, with a few statements instead of a few each.
   */
  writeCoalesced<I, T>(kind: Coalesced<I, T>, input: I): Promise<T> {
    return this.batcher.runCoalesced(kind, input);
  }

  /**
   * For /health/ready: one cheap read that proves the database answers, and the names of the
   * migrations this code knows that the database has not recorded (none once open() succeeded,
   * unless the database was replaced or restored under a running process).
   */
  async ping(): Promise<{ pendingMigrations: string[] }> {
    const applied = new Set((await this.db.selectFrom('twinsync_migrations').select('name').execute()).map((r) => r.name));
    return { pendingMigrations: migrations.filter((m) => !applied.has(m.name)).map((m) => m.name) };
  }

  /** For /metrics: PostgreSQL pool connections in use and idle, and queries waiting for one; undefined on SQLite (no pool). */
  poolStats(): { inUse: number; idle: number; waiting: number } | undefined {
    const status = this.dialect.poolStatus?.();
    if (!status) return undefined;
    return { inUse: status.total - status.idle, idle: status.idle, waiting: this.dialect.poolWaiting?.() ?? 0 };
  }

  async close(): Promise<void> {
    await this.batcher.drain();
    await this.dialect.close();
  }
}
