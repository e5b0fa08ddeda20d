import type { ErrorDetail } from '../errors.js';
import type { MemberAccess } from '../roles/permissions.js';
import type { Page } from '../paging.js';
import type { SourceFile, SourceFileMapping } from '../source-files/model.js';
import type { AuthenticationType, ConnectionKind, StorageConnection } from './model.js';

/** What the store looks up for a create: the iModel and the storage files it names, as `subject` sees them. */
export interface CreateLookup {
  subject: string;
  iModelId: string | undefined;
  storageFileIds: readonly string[];
}

/** What the store found for a create. */
export interface CreateTargets {
  /** The iModel, if it exists and the subject is a member of its iTwin. */
  iModel?: { id: string; iTwinId: string; access: MemberAccess };
  /**
   * Storage files visible to the subject (a member of their iTwin) whose content was completed:
   * at least those asked for, perhaps more (those of other creates of the same subject written with it).
   */
  files: { id: string; iTwinId: string }[];
}

/** A connection to store, with its source files. */
export interface NewConnection {
  connection: StorageConnection;
  sourceFiles: SourceFileMapping[];
}

/** The domain's ruling on one create, given what the store found: what to store, or why not. */
export type CreateDecision = { insert: NewConnection } | { problems: ErrorDetail[] } | { forbidden: true };

/**
 * What became of a create: stored; refused by the decision (its problems, unchanged); or refused by
 * the store's constraints while writing, which the checks cannot rule out under concurrency: a
 * storage file already mapped in the iModel (`fileMapped`), the iModel deleted meanwhile (`iModelGone`).
 */
export type CreateOutcome = { created: StorageConnection } | { problems: ErrorDetail[] } | { forbidden: true } | { conflict: 'fileMapped' | 'iModelGone' };

/** Persistence of storage connections and their source files, in domain terms (implemented in src/store/repositories/storage-connections.ts). */
export interface ConnectionRepository {
  find(id: string): Promise<StorageConnection | undefined>;
  /**
   * Oldest first (ties by id, so paging is stable), one beyond the page: of one iModel, or without
   * one, of every iTwin `subject` is a member of; of one kind, or of every kind when none is given.
   */
  list(filter: { iModelId?: string; subject: string; kind?: ConnectionKind }, page: Page): Promise<StorageConnection[]>;
  findCreateTargets(lookup: CreateLookup): Promise<CreateTargets>;
  /**
   * Creates a connection as `decide` rules, on what the store found for the request (as
   * findCreateTargets finds it), in the same transaction as the insert. Creates arriving together
   * may be looked up and written together; `decide` still sees one request at a time, and each
   * create gets its own outcome. A create whose insert is refused leaves nothing behind.
   */
  create<R extends CreateLookup & { iModelId: string }>(request: R, decide: (request: R, found: CreateTargets) => CreateDecision): Promise<CreateOutcome>;
  update(id: string, changes: { displayName?: string; authenticationType?: AuthenticationType }): Promise<void>;
  /** The run the connection's `lastRun` link points to. */
  setLastRun(id: string, runId: string): Promise<void>;
  /** Its source files and runs go with it. False when it was gone already. */
  delete(id: string): Promise<boolean>;

  findSourceFile(connectionId: string, id: string): Promise<SourceFile | undefined>;
  /** Oldest first (then in the order they were given), all or one page (one beyond it). */
  listSourceFiles(connectionId: string, page?: Page): Promise<SourceFile[]>;
  /** False when its storage file is already mapped in the iModel (nothing written; inside a transaction, end it). */
  addSourceFile(sourceFile: SourceFileMapping): Promise<boolean>;
  /** Points a source file at another storage file. False as addSourceFile. */
  updateSourceFile(id: string, change: { storageFileId: string; connectorType: string }): Promise<boolean>;
  /** False when there is no such source file in the connection. */
  removeSourceFile(connectionId: string, id: string): Promise<boolean>;
}
