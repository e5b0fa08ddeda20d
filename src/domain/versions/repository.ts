import type { Page } from '../paging.js';
import type { Changeset, CheckpointRef, NamedVersion, NamedVersionState } from './model.js';

export type ChangesetKey = { id: string } | { index: number };

export interface ChangesetFilter {
  /** Only changesets with an index above this one. */
  afterIndex?: number;
  /** Only changesets with an index up to this one. */
  lastIndex?: number;
  /** Only changesets whose own checkpoint exists (written by their connector and not pruned). */
  withCheckpoint?: boolean;
  order: 'asc' | 'desc';
}

export interface NamedVersionFilter {
  name?: string;
  state?: NamedVersionState;
  /** Contained in the name or the description, ignoring case. */
  search?: string;
  orderBy: 'changesetIndex' | 'createdDateTime';
  order: 'asc' | 'desc';
}

export interface NamedVersionChange {
  name?: string;
  description?: string | null;
  state?: NamedVersionState;
}

/**
 * Persistence of an iModel's versions: changesets, named versions and which checkpoint files are
 * kept (implemented in src/store/repositories/versions.ts).
 */
export interface VersionRepository {
  /** The iModel's last changeset, if any. */
  latestOf(iModelId: string): Promise<Changeset | undefined>;
  /** Appends a changeset; its index must follow the latest (the one active run of an iModel writes them). */
  append(changeset: Changeset): Promise<void>;
  findChangeset(iModelId: string, key: ChangesetKey): Promise<Changeset | undefined>;
  /** By index (ascending or descending), one beyond the page. */
  listChangesets(iModelId: string, filter: ChangesetFilter, page: Page): Promise<Changeset[]>;
  /** The changeset a task was recorded as. */
  changesetOfTask(taskId: string): Promise<Changeset | undefined>;
  /**
   * The kept checkpoint with the greatest index at or before `index`; the baseline (index 0) when
   * none is, whose size is unknown here.
   */
  checkpointAtOrBefore(iModelId: string, index: number): Promise<CheckpointRef>;
  /**
   * Indexes of the iModel's checkpoint files that may go: not among the `keepRecent` newest, not
   * the latest, not a named version's.
   */
  prunableCheckpoints(iModelId: string, keepRecent: number): Promise<number[]>;
  /** Marks checkpoints pruned (before their files are removed, so nothing is sent to them after). */
  markPruned(iModelId: string, indexes: readonly number[]): Promise<void>;

  /** False when the changeset (or the baseline) already has a named version (nothing written). */
  insertNamedVersion(version: NamedVersion): Promise<boolean>;
  findNamedVersion(iModelId: string, id: string): Promise<NamedVersion | undefined>;
  /** The named version on the changeset with this index (0: the baseline), if any. */
  namedVersionAt(iModelId: string, changesetIndex: number): Promise<NamedVersion | undefined>;
  /** By changeset index, one beyond the page. */
  listNamedVersions(iModelId: string, filter: NamedVersionFilter, page: Page): Promise<NamedVersion[]>;
  updateNamedVersion(iModelId: string, id: string, change: NamedVersionChange): Promise<void>;
  /** The named versions on the changesets with these indexes (a page of changesets' links). */
  namedVersionsAt(iModelId: string, changesetIndexes: readonly number[]): Promise<NamedVersion[]>;

  /** Who pushed changesets to the iModel or created named versions on it, by id. */
  userIdsOf(iModelId: string): Promise<string[]>;
  /** What one user did on the iModel. */
  userStatistics(iModelId: string, userId: string): Promise<UserStatistics>;
}

export interface UserStatistics {
  pushedChangesetsCount: number;
  lastChangesetPushDate: string | null;
  createdVersionsCount: number;
}
