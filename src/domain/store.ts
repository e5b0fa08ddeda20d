import type { AccountRepository } from './accounts/repository.js';
import type { GroupRepository } from './groups/repository.js';
import type { ChangedElementsRepository } from './changed-elements/repository.js';
import type { ConfigurationRepository } from './configurations/repository.js';
import type { ConsentRepository } from './consent/repository.js';
import type { DeploymentRepository } from './deployment/repository.js';
import type { IModelRepository } from './imodels/repository.js';
import type { ITwinRepository } from './itwins/repository.js';
import type { ReportRepository } from './reports/repository.js';
import type { SignInRepository } from './sign-in/repository.js';
import type { RunRepository } from './runs/repository.js';
import type { StorageRepository } from './storage/repository.js';
import type { UserRepository } from './users/repository.js';
import type { ConnectionRepository } from './storage-connections/repository.js';
import type { ManifestConnectionRepository } from './manifest-connections/repository.js';
import type { VersionRepository } from './versions/repository.js';
import type { WebhookRepository } from './webhooks/repository.js';

/**
 * What the domain and the worker need of persistence, in their own terms: one repository per
 * aggregate. The store (src/store) implements it over SQLite or PostgreSQL and owns everything
 * that is SQL: queries, rows, batching, compiled queries and the mapping of database errors. No
 * rule lives behind this interface: a repository stores and finds, the domain decides.
 */
export interface Repositories {
  /** iTwins and their members. */
  readonly itwins: ITwinRepository;
  /** Access Control v2 groups and groups as members. */
  readonly groups: GroupRepository;
  readonly imodels: IModelRepository;
  /** Folders, files and uploads in progress. */
  readonly storage: StorageRepository;
  /** Storage connections and their source files. */
  readonly connections: ConnectionRepository;
  /** What only manifest connections have: their source files and the manifests of their runs. */
  readonly manifests: ManifestConnectionRepository;
  /** Runs, their jobs and tasks, and the queue workers claim them from. */
  readonly runs: RunRepository;
  /** Diagnostic reports of runs' tasks (docs/reports.md). */
  readonly reports: ReportRepository;
  /** Consents to run connections on a user's behalf, and the single-use tickets of the consent page. */
  readonly consents: ConsentRepository;
  /** Changesets, named versions and which checkpoint files are kept. */
  readonly versions: VersionRepository;
  /** Synchronization configurations of iTwins, iModels and connections. */
  readonly configurations: ConfigurationRepository;
  /** What the processes of a deployment share: its secrets and the built-in issuer's OAuth clients. */
  readonly deployment: DeploymentRepository;
  /** Webhooks, and the outbox of the events they are sent. */
  readonly webhooks: WebhookRepository;
  /** The users seen: token subjects and their e-mail addresses. */
  readonly users: UserRepository;
  /** Change tracking of iModels (the Changed Elements API; docs/changed-elements.md). */
  readonly changedElements: ChangedElementsRepository;
  /** The people who sign in with the built-in issuer (docs/sign-in.md). */
  readonly accounts: AccountRepository;
  /** The built-in issuer's authorization codes and refresh tokens. */
  readonly signIn: SignInRepository;
}

/**
 * The store as the domain sees it. Its repositories work outside any transaction: each read is on
 * its own, and each write method is a transaction of its own, group-committed with the writes of
 * the same moment (one commit pays for many requests; nothing is acknowledged before it is durable).
 */
export interface Store extends Repositories {
  /**
   * Runs `work` in one transaction, group-committed with other writes. `work` must use the store
   * only through `tx`, and may run again if its batch is retried: it must not have effects of its
   * own beyond the store (write files after it resolves).
   */
  write<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * For readiness: one cheap read that proves the database answers, and the migrations this code
   * knows that the database has not recorded.
   */
  ping(): Promise<{ pendingMigrations: string[] }>;
  /** For /metrics: pooled connections in use and idle, and queries waiting (undefined without a pool). */
  poolStats(): { inUse: number; idle: number; waiting: number } | undefined;
  close(): Promise<void>;
}
