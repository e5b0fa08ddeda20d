import type { Kysely, Transaction } from 'kysely';
import type { Repositories, Store } from '../domain/store.js';
import pg from 'pg';
import { openDialect, type OpenOptions, type StoreDialect } from './dialect.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';
import type { Database } from './schema.js';
import { SqlAccounts } from './repositories/accounts.js';
import { SqlChangedElements } from './repositories/changed-elements.js';
import { SqlConfigurations } from './repositories/configurations.js';
import { SqlConsents } from './repositories/consents.js';
import { SqlDeployment } from './repositories/deployment.js';
import { SqlIModels } from './repositories/imodels.js';
import { SqlITwins } from './repositories/itwins.js';
import { SqlReports } from './repositories/reports.js';
import { SqlRuns } from './repositories/runs.js';
import { SqlSignIn } from './repositories/sign-in.js';
import { SqlConnections } from './repositories/storage-connections.js';
import { SqlManifestConnections } from './repositories/manifest-connections.js';
import { SqlStorage } from './repositories/storage.js';
import { SqlVersions } from './repositories/versions.js';
import { SqlUsers } from './repositories/users.js';
import { SqlGroups } from './repositories/groups.js';
import { SqlWebhooks, SubscribedTypes } from './repositories/webhooks.js';
import { storeScope, transactionScope, type Scope } from './scope.js';
import { WriteBatcher, type Coalesced, type WriteWork } from './write-batcher.js';

// int8 (bigint) columns hold file sizes, far below 2^53: read them as numbers, not strings.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/** The repositories of one scope (the store's own connections, or one transaction). */
function repositoriesIn(scope: Scope, subscribed: SubscribedTypes): Repositories {
  return {
    itwins: new SqlITwins(scope),
    groups: new SqlGroups(scope),
    imodels: new SqlIModels(scope),
    storage: new SqlStorage(scope),
    connections: new SqlConnections(scope),
    manifests: new SqlManifestConnections(scope),
    runs: new SqlRuns(scope),
    reports: new SqlReports(scope),
    consents: new SqlConsents(scope),
    versions: new SqlVersions(scope),
    deployment: new SqlDeployment(scope),
    webhooks: new SqlWebhooks(scope, subscribed),
    users: new SqlUsers(scope),
    configurations: new SqlConfigurations(scope),
    changedElements: new SqlChangedElements(scope),
    accounts: new SqlAccounts(scope),
    signIn: new SqlSignIn(scope),
  };
}

/**
 * The one store: Kysely over SQLite or PostgreSQL, migrated at open, with group-committed writes.
 * The domain sees it as a Store (src/domain/store.ts); `db`, `dialect` and the raw write methods
 * are for the store's own code and for tests that look at rows.
 */
export class SqlStore implements Store {
  private readonly batcher: WriteBatcher;
  readonly itwins: SqlITwins;
  readonly groups: SqlGroups;
  readonly imodels: SqlIModels;
  readonly storage: SqlStorage;
  readonly connections: SqlConnections;
  readonly manifests: SqlManifestConnections;
  readonly runs: SqlRuns;
  readonly reports: SqlReports;
  readonly consents: SqlConsents;
  readonly versions: SqlVersions;
  readonly deployment: SqlDeployment;
  readonly webhooks: SqlWebhooks;
  readonly users: SqlUsers;
  /** Which event types active webhooks subscribe to, as this process last read it (shared by its transactions). */
  private readonly subscribed = new SubscribedTypes();
  readonly configurations: SqlConfigurations;
  readonly changedElements: SqlChangedElements;
  readonly accounts: SqlAccounts;
  readonly signIn: SqlSignIn;

  private constructor(readonly dialect: StoreDialect) {
    this.batcher = new WriteBatcher(dialect);
    const scope = storeScope(dialect, this.batcher);
    this.itwins = new SqlITwins(scope);
    this.groups = new SqlGroups(scope);
    this.imodels = new SqlIModels(scope);
    this.storage = new SqlStorage(scope);
    this.connections = new SqlConnections(scope);
    this.manifests = new SqlManifestConnections(scope);
    this.runs = new SqlRuns(scope);
    this.reports = new SqlReports(scope);
    this.consents = new SqlConsents(scope);
    this.versions = new SqlVersions(scope);
    this.deployment = new SqlDeployment(scope);
    this.webhooks = new SqlWebhooks(scope, this.subscribed);
    this.users = new SqlUsers(scope);
    this.configurations = new SqlConfigurations(scope);
    this.changedElements = new SqlChangedElements(scope);
    this.accounts = new SqlAccounts(scope);
    this.signIn = new SqlSignIn(scope);
  }

  static async open(options: OpenOptions): Promise<SqlStore> {
    const dialect = await openDialect(options);
    try {
      await migrate(dialect);
    } catch (error) {
      await dialect.close();
      throw error;
    }
    return new SqlStore(dialect);
  }

  /** Reads outside any transaction. */
  get db(): Kysely<Database> {
    return this.dialect.db;
  }

  /** Store.write: `work` gets the repositories of one transaction, shared with other writes of the moment (see WriteBatcher). */
  write<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.batcher.run((trx: Transaction<Database>) => work(repositoriesIn(transactionScope(this.dialect, trx), this.subscribed)));
  }

  /**
   * Runs `work` in a transaction shared with other writes of the same moment (see WriteBatcher).
   * `work` must only touch the database through `trx`, and may run again if the batch is retried.
   * For tests that write rows directly through the group commit (batching, failures); not part of
   * the domain's Store, so no code under src/ outside the store can reach it.
   */
  writeSql<T>(work: WriteWork<T>): Promise<T> {
    return this.batcher.run(work);
  }

  /**
   * Runs `kind.one(input)` like write() does, unless other writes of the same kind are in the same
   * batch: then one `kind.many` does them all, with a few statements instead of a few each. On
   * PostgreSQL, a batch of such writes alone runs without a transaction where the kind allows
   * (Coalesced.plan: reads, then one statement that writes).
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
