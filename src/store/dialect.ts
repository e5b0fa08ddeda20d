import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type PostgresPool, type PostgresPoolClient, type SqliteDatabase } from 'kysely';
import { RESTART_FRAMES, startCheckpointer } from './checkpointer.js';
import { preparedName } from './compiled-query.js';
import { isConnectionFailure, StoreUnavailable } from '../domain/failures.js';
import type { Database as Schema } from './schema.js';

/**
 * Everything that differs between SQLite and PostgreSQL lives here: opening, error codes,
 * the migration lock and how many write batches may be in flight. The rest of the store is one
 * Kysely implementation.
 */
export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  readonly db: Kysely<Schema>;
  /** SQLite has one writer: batches run one after another. PostgreSQL takes several at once. */
  readonly maxConcurrentBatches: number;
  /** Awaited, when it returns a promise, before a write batch begins (SQLite: see checkpointer.ts). */
  beforeBatch?(): Promise<void> | undefined;
  /** PostgreSQL runs an INSERT inside WITH (two inserts, one statement); SQLite does not. */
  readonly insertsInWith: boolean;
  /**
   * PostgreSQL: every statement is a round trip to the server, so a write of one statement runs
   * best on its own (autocommit), not in a transaction (BEGIN and COMMIT are two more). SQLite: a
   * statement is a call into the library, and the group commit's shared transaction is cheaper.
   */
  readonly statementsAreRoundTrips: boolean;
  /**
   * PostgreSQL: where a worker's progress is written (a claim, a plan, a task's start), connections
   * that commit without waiting for the flush of the write-ahead log (`synchronous_commit=off`).
   * Such a write is lost only if the server itself crashes within a fraction of a second, and then
   * the run is taken up again from its last durable state; nothing a client was told is in it, and
   * every later durable commit flushes it too (docs/decisions.md, "Worker progress"). Opened on
   * first use. SQLite: the same as `db`.
   */
  readonly progressDb: Kysely<Schema>;
  isUniqueViolation(error: unknown): boolean;
  isForeignKeyViolation(error: unknown): boolean;
  /** Errors after which retrying the same work in a fresh transaction is the right answer. */
  isRetryable(error: unknown): boolean;
  /** Runs `work` while holding a lock that other processes starting at the same time respect. */
  withMigrationLock<T>(work: (db: Kysely<Schema>) => Promise<T>): Promise<T>;
  /** PostgreSQL only: connections open in the pool, and how many of them are idle. */
  poolStatus?(): { total: number; idle: number };
  /** PostgreSQL only: queries waiting for a pooled connection (for /metrics). */
  poolWaiting?(): number;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl: string;
  /** PostgreSQL only: the schema to use, created when missing. */
  schema: string;
  /** PostgreSQL only: connections in the pool (10 when unset). */
  poolSize?: number;
  /**
   * PostgreSQL only: open every pooled connection now and keep them open. A service does; without it
   * the first burst of requests waits for connection setup and statement preparation (the cold
   * bench's p99 was 40 ms against 11 ms with the pool opened at start, see docs/performance.md),
   * and again after each quiet spell, since idle connections would close after 10 s.
   */
  openPoolNow?: boolean;
  /** PostgreSQL only: shown in pg_stat_activity. */
  applicationName?: string;
  /**
   * PostgreSQL only: told the SQL text of every statement as it is sent, each one a round trip.
   * Tests count the worker's statements per run with it (the cost that bounds runs per second).
   */
  onStatement?: (sql: string, pool: 'durable' | 'progress') => void;
}

export async function openDialect(options: OpenOptions): Promise<StoreDialect> {
  if (options.databaseUrl.startsWith('sqlite:')) return openSqlite(options.databaseUrl.slice('sqlite:'.length));
  return openPostgres(options);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

function openSqlite(file: string): StoreDialect {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Database(file);
  // WAL with synchronous=NORMAL: a committed transaction is in the WAL file before COMMIT returns,
  // so it survives a killed process (not a power cut: see docs/decisions.md).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // Checkpoints run on a worker thread (see checkpointer.ts); the writer's own are a safety net.
  const checkpointer = file === ':memory:' ? undefined : startCheckpointer(file, () => database.open && database.pragma('wal_autocheckpoint = 1000'));
  if (checkpointer) database.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return {
    name: 'sqlite',
    db,
    progressDb: db,
    maxConcurrentBatches: 1,
    beforeBatch: () => checkpointer?.beforeBatch(),
    insertsInWith: false,
    statementsAreRoundTrips: false,
    isUniqueViolation: (e) => errorCode(e) === 'SQLITE_CONSTRAINT_UNIQUE' || errorCode(e) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
    isForeignKeyViolation: (e) => errorCode(e) === 'SQLITE_CONSTRAINT_FOREIGNKEY',
    isRetryable: (e) => errorCode(e) === 'SQLITE_BUSY',
    // Another process migrating the same file holds the write lock; ours waits (busy_timeout) and
    // then finds the migration row there. Within one process, better-sqlite3 would wait
    // synchronously and block the very event loop the other connection needs, so those queue.
    withMigrationLock: (work) => inProcessQueue(path.resolve(file), () => work(db)),
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * The writer checkpoints itself only if the WAL grows to four times the size at which the
 * checkpointer starts it over (1 GiB; SQLite's default is 1000 pages, 4 MiB).
 */
const WRITER_CHECKPOINT_PAGES = 4 * RESTART_FRAMES;

/** Distinct SQL texts kept prepared: far more than the store has queries, few enough to bound memory. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every statement on every execution, and preparing (parsing and
 * planning) cost more than running the statement did. This hands it the same prepared Statement
 * for the same SQL text, least recently used first out. A statement still being iterated (a
 * streamed select) is busy and cannot be run again: then a fresh one is prepared for that call
 * (Kysely runs one statement at a time per connection, so this is a safeguard only).
 * Cached statements follow schema changes (SQLite re-prepares them itself after a migration).
 */
export function withStatementCache(database: Database.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    prepare(text: string) {
      // After some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) SQLite has already rolled the
      // transaction back itself. Kysely then sends ROLLBACK, which fails with "cannot rollback - no
      // transaction is active", and that error replaced the one that said why (a full disk): a
      // ROLLBACK with no transaction open has nothing to do, so it does nothing.
      if (text === 'rollback' && !database.inTransaction) return NOTHING_TO_ROLL_BACK;
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        // Map order is insertion order: re-inserting marks it most recently used.
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      if (cached) return database.prepare(text);
      const statement = database.prepare(text);
      cache.set(text, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return statement;
    },
    close() {
      cache.clear();
      database.close();
    },
  };
}

/** Stands in for a ROLLBACK statement when SQLite has no transaction open (see withStatementCache). */
const NOTHING_TO_ROLL_BACK = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) } as unknown as Database.Statement;

const queues = new Map<string, Promise<unknown>>();

function inProcessQueue<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  queues.set(key, next);
  void next.finally(() => queues.get(key) === next && queues.delete(key)).catch(() => undefined);
  return next;
}

/** Arbitrary constant shared by every twinsync process: the key of the migration advisory lock. */
const MIGRATION_LOCK_KEY = 7_261_100_442;

async function openPostgres(options: OpenOptions): Promise<StoreDialect> {
  await ensureSchema(options.databaseUrl, options.schema);
  const size = options.poolSize ?? 10;
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: size,
    min: options.openPoolNow ? size : 0,
    application_name: options.applicationName ?? 'twinsync',
    options: `-c search_path=${options.schema}`,
  });
  // An idle connection the server closes (restart, idle_session_timeout, pg_terminate_backend) is an
  // 'error' event on the pool, fatal to the process without a listener. The pool has already dropped
  // that connection and opens another when needed, and the next query on it would report any lasting
  // problem, so there is nothing more to do here. (A connection checked out of the pool when it
  // closes has no pool listener at that moment: withPreparedStatements gives it one of its own.)
  pool.on('error', () => undefined);
  if (options.openPoolNow) {
    try {
      const clients = await Promise.all(Array.from({ length: size }, () => pool.connect()));
      for (const client of clients) client.release();
    } catch (error) {
      await pool.end();
      throw error;
    }
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: withPreparedStatements(pool, (text) => options.onStatement?.(text, 'durable')) }) });
  // Few connections, opened when a worker first writes progress (an API process never does).
  const progressPool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: PROGRESS_POOL_SIZE,
    // Kept open once opened, as the main pool's are: a worker writes progress every few milliseconds
    // while it has runs, and each new connection is a start-up (and a window for its errors) more.
    idleTimeoutMillis: 0,
    application_name: options.applicationName ?? 'twinsync',
    options: `-c search_path=${options.schema} -c synchronous_commit=off`,
  });
  progressPool.on('error', () => undefined);
  const progressDb = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: withPreparedStatements(progressPool, (text) => options.onStatement?.(text, 'progress')) }),
  });
  return {
    name: 'postgres',
    db,
    progressDb,
    // Two, not more: a batch in flight lets the next one fill while it waits; with four, creates
    // under load went out in smaller batches and their rate fell (docs/performance.md, 2026-12-07).
    maxConcurrentBatches: 2,
    insertsInWith: true,
    statementsAreRoundTrips: true,
    isUniqueViolation: (e) => errorCode(e) === '23505',
    isForeignKeyViolation: (e) => errorCode(e) === '23503',
    // serialization failure, deadlock
    isRetryable: (e) => errorCode(e) === '40001' || errorCode(e) === '40P01',
    withMigrationLock: (work) =>
      db.connection().execute(async (connection) => {
        await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(connection);
        try {
          return await work(connection);
        } finally {
          await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(connection);
        }
      }),
    poolStatus: () => ({ total: pool.totalCount, idle: pool.idleCount }),
    poolWaiting: () => pool.waitingCount,
    close: async () => {
      await Promise.all([db.destroy(), progressDb.destroy()]);
    },
  };
}

/** Connections of the progress pool: a worker writes progress a few statements at a time. */
const PROGRESS_POOL_SIZE = 4;

/**
 * node-postgres sends every query unnamed, so PostgreSQL parses and plans it on every execution:
 * for the create path's check, 370 µs of PostgreSQL's CPU against 90 µs once prepared. The SQL of
 * compiled-once queries (see compiled-query.ts: fixed text, explicit columns, a bounded number) is
 * sent under a name instead; node-postgres prepares a name once per connection and then only
 * binds and executes it. Everything else goes as before.
 * (Behind PgBouncer in transaction mode, that needs PgBouncer 1.21 or later with
 * max_prepared_statements set.)
 */
export function withPreparedStatements(pool: pg.Pool, onStatement?: (sql: string) => void): PostgresPool {
  // Kysely keeps its connection object per client, so each pg client keeps its one wrapper.
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    // pg emits 'error' on a client whose connection dies. The pool listens only while the client is
    // idle; checked out (in a request's transaction, or between two of its queries) nobody did, and
    // the event ended the process. This listener stays for the client's life: the connection is
    // remembered as lost, the query that was using it fails (below), and release() destroys it so
    // the pool opens a fresh one.
    let lost: unknown;
    client.on('error', (error) => {
      lost ??= error;
    });
    // A failure of the connection, not of the statement, becomes StoreUnavailable (an answer of 503
    // with retry-after, and a step the worker retries); pg's own errors for it carry no code.
    // (A statement's own error, one with an SQLSTATE, stays what it was.)
    const failure = (error: unknown): unknown =>
      isConnectionFailure(error) ? new StoreUnavailable(error) : lost !== undefined && errorCode(error) === undefined ? new StoreUnavailable(lost) : error;
    return {
      // Both call forms: SQL text (Kysely's) and a query config object. Either way a lost connection
      // is StoreUnavailable; a submittable (a cursor, which returns itself, not a promise) reports
      // its errors through its own reads and is passed on as it is.
      query: ((query: string | object, values?: readonly unknown[]) => {
        let result: unknown;
        onStatement?.(typeof query === 'string' ? query : String((query as { text?: unknown }).text ?? ''));
        if (typeof query === 'string') {
          const name = preparedName(query);
          result = client.query(name ? { name, text: query, values: values as unknown[] } : { text: query, values: values as unknown[] });
        } else {
          result = values === undefined ? client.query(query as never) : client.query(query as never, values as unknown[]);
        }
        if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') return result;
        return Promise.resolve(result).catch((error: unknown) => {
          throw failure(error);
        });
      }) as unknown as PostgresPoolClient['query'],
      release: (destroy?: boolean) => client.release(destroy || lost !== undefined),
    };
  };
  return {
    connect: async () => {
      // No connection could be opened (the server is down, restarting or out of slots): the request
      // that needed it can be retried later, as when its connection is lost.
      const client = await pool.connect().catch((error: unknown) => {
        throw new StoreUnavailable(error);
      });
      let wrapper = wrappers.get(client);
      if (!wrapper) wrappers.set(client, (wrapper = wrap(client)));
      return wrapper;
    },
    end: () => pool.end(),
  };
}

async function ensureSchema(databaseUrl: string, schema: string): Promise<void> {
  if (schema === 'public') return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Two processes starting together may race on CREATE SCHEMA IF NOT EXISTS; the loser's
    // unique violation means the schema is there, which is all we wanted.
    await client.query(`create schema if not exists "${schema}"`).catch((error: unknown) => {
      if (errorCode(error) !== '23505' && errorCode(error) !== '42P06') throw error;
    });
  } finally {
    await client.end();
  }
}
