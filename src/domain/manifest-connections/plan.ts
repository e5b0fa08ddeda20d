import type { SyncedFile } from '../runs/model.js';
import { plannedJobs, type Plan, type PlannedTask } from '../runs/plan.js';
import type { Manifest } from './model.js';

/**
 * A manifest connection's task has no storage file: its content is downloaded from the manifest's
 * URL when it starts. The empty storage file id says so (no storage file has it), so the store reads
 * no content for it and the worker knows to download.
 */
export const NO_STORAGE_FILE = '';

export function isManifestTask(task: { storageFileId: string }): boolean {
  return task.storageFileId === NO_STORAGE_FILE;
}

/**
 * Turns a manifest into tasks: one `sync` per `bridge` entry (its content is only known once
 * downloaded, so every bridged file is synchronized, whether or not it changed), one `remove` per
 * `unmap` entry that the connection synchronized before (one it never brought in has nothing to take
 * out: no task). Jobs per connector type, as for storage runs.
 */
export function planManifestTasks(runId: string, manifest: Manifest, synced: readonly SyncedFile[], now: string): Plan {
  const before = new Map(synced.map((s) => [s.sourceFileId, s]));
  const planned: PlannedTask[] = [];
  for (const file of manifest.sourceFiles) {
    if (file.action === 'bridge') {
      planned.push({
        action: 'sync',
        sourceFileId: file.id,
        storageFileId: NO_STORAGE_FILE,
        fileName: file.name,
        connectorType: file.connectorType,
        contentVersion: null,
        contentHash: null,
        contentSize: null,
      });
      continue;
    }
    const last = before.get(file.id);
    if (!last) continue;
    planned.push({
      action: 'remove',
      sourceFileId: file.id,
      storageFileId: NO_STORAGE_FILE,
      fileName: last.fileName,
      connectorType: last.connectorType,
      contentVersion: null,
      contentHash: last.contentHash,
      contentSize: null,
    });
  }
  return plannedJobs(runId, planned, now);
}

/** Where a manifest task's downloads are kept while it runs: `manifests/<runId>/<taskId>/<n>` (0 the file, then its children). */
export function manifestFilesPrefix(runId: string, taskId: string): string {
  return `manifests/${runId}/${taskId}/`;
}
