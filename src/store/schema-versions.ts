/** Rows of an iModel's versions (migration 0006). */
export interface ChangesetRow {
  imodel_id: string;
  changeset_index: number;
  id: string;
  parent_id: string;
  description: string;
  creator_id: string;
  pushed_at: string;
  containing_changes: number;
  application_id: string;
  application_name: string;
  task_id: string;
  run_id: string;
  source_file_id: string;
  action: string;
  content_hash: string | null;
  /** JSON array of file names. */
  changed_files: string;
  /** PostgreSQL's bigint arrives as a string. */
  checkpoint_size: number | string | null;
  checkpoint_pruned: number;
  /** The blob of the element changes the changeset made (migration 0016); null when none were recorded. */
  element_changes_id: string | null;
}

/** An iModel's change tracking (migration 0016). */
export interface ChangeTrackingRow {
  imodel_id: string;
  /** 1 or 0. */
  enabled: number;
  /** The first changeset index tracked since tracking was last enabled. */
  from_index: number;
  updated_at: string;
}

export interface NamedVersionRow {
  id: string;
  imodel_id: string;
  name: string;
  description: string | null;
  state: string;
  changeset_id: string | null;
  changeset_index: number;
  created_at: string;
  creator_id: string;
}
