/** Whether an iModel's changes are tracked, and since which changeset. */
export interface ChangeTracking {
  enabled: boolean;
  /**
   * The first changeset index tracked since tracking was last enabled: the index that followed the
   * iModel's latest changeset at that moment. Changesets before it were not processed.
   */
  fromIndex: number;
}

/** A changeset in a comparison's range: where its element changes are (null: none recorded). */
export interface ChangesetRecord {
  index: number;
  id: string;
  elementChangesId: string | null;
}

/** Persistence of change tracking (src/store/repositories/changed-elements.ts). */
export interface ChangedElementsRepository {
  /** Undefined when tracking was never set for the iModel. */
  tracking(iModelId: string): Promise<ChangeTracking | undefined>;
  /**
   * Enables or disables tracking. Enabling an iModel not tracked now starts at the changeset after
   * its latest (read in the same statement); enabling it again while tracked changes nothing.
   */
  setTracking(iModelId: string, enable: boolean, at: string): Promise<void>;
  /** The iModel's changesets with an index from `fromIndex` to `toIndex`, by index. */
  changesetsBetween(iModelId: string, fromIndex: number, toIndex: number): Promise<ChangesetRecord[]>;
}
