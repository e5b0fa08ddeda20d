import { createHash } from 'node:crypto';
import type { TaskAction } from '../runs/model.js';

/**
 * A changeset: one task's change of an iModel's content, recorded in the transaction that
 * completes the task (so neither exists without the other). Indexes count from 1 per iModel;
 * ids are 40 hexadecimal digits, as the iModels API's are.
 */
export interface Changeset {
  id: string;
  index: number;
  /** The previous changeset's id; '' for the first. */
  parentId: string;
  iModelId: string;
  /** What the task did, with counts when the connector gave them. */
  description: string;
  /** Who asked for the run (the changeset is pushed on their behalf). */
  creatorId: string;
  pushedAt: string;
  /** The iModels API's bit flags (0 regular, 4 spatial data, …). */
  containingChanges: number;
  application: { id: string; name: string };
  taskId: string;
  runId: string;
  sourceFileId: string;
  action: TaskAction;
  contentHash: string | null;
  /** Names of the source files the task synchronized or removed. */
  changedFiles: string[];
  /**
   * The size of the version's file when the task wrote one (a builtin connector), null otherwise
   * (emulated or command connectors: the content is not twinsync's to hold).
   */
  checkpointSize: number | null;
  /** True once a file written for it was pruned (docs/versions.md: which checkpoints are kept). */
  checkpointPruned: boolean;
  /**
   * The blob of the element changes it made (docs/changed-elements.md), null when its connector
   * recorded none (emulated and command connectors).
   */
  elementChangesId: string | null;
}

export type NamedVersionState = 'visible' | 'hidden';

/** A name on a changeset (or on the baseline: index 0, no changeset id). */
export interface NamedVersion {
  id: string;
  iModelId: string;
  name: string;
  description: string | null;
  state: NamedVersionState;
  changesetId: string | null;
  changesetIndex: number;
  createdAt: string;
  creatorId: string;
}

/** A checkpoint: the file of the state after a changeset (index 0: the empty baseline). */
export interface CheckpointRef {
  changesetIndex: number;
  /** '' for the baseline. */
  changesetId: string;
  /** Bytes, when the file exists already (the baseline is made on first request). */
  size: number | null;
}

/** The iModels API's `containingChanges` flags twinsync sets. */
export const ContainingChanges = { Regular: 0, SpatialData: 4 } as const;

/**
 * A changeset's id, derived from what it is (the iModel, its place, the task that makes it), so a
 * task that runs again after a crash plans, stamps and records the same changeset.
 */
export function changesetIdOf(iModelId: string, index: number, taskId: string): string {
  return createHash('sha1').update(`twinsync changeset\n${iModelId}\n${index}\n${taskId}`).digest('hex');
}

/** A changeset id as the API writes it: 40 hexadecimal digits. */
export const CHANGESET_ID = /^[0-9a-f]{40}$/i;
