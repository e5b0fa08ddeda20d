import fs from 'node:fs';
import path from 'node:path';
import type { ReferenceFile } from '../connectors/connector.js';
import { connectorErrors } from '../connectors/errors.js';
import type { Manifest, ManifestFile } from '../domain/manifest-connections/model.js';
import { manifestFilesPrefix } from '../domain/manifest-connections/plan.js';
import type { QueuedRun, RunTask } from '../domain/runs/model.js';
import type { StoredContent } from '../domain/storage/model.js';
import type { WorkerContext } from './context.js';
import { downloadManifestFile } from './manifest-download.js';

/** What a manifest task's connector reads: the file and its reference files, downloaded. */
export interface ManifestDownloads {
  content: StoredContent;
  filePath: string;
  references: ReferenceFile[];
  /** For the task's details: what was downloaded. */
  details: Record<string, unknown>;
}

/**
 * Downloads the file a manifest task synchronizes, and its children, each streamed into the blob
 * store (so a file never sits whole in memory, and an object store holds it like any content) and
 * then given to the connector as a file of this machine. Every attempt downloads again: a
 * pre-authenticated URL serves what the document system holds at that moment. A failure is a
 * ConnectorFailure like a connector's own, retried or not as it says.
 */
export async function downloadManifestTask(
  ctx: WorkerContext,
  run: QueuedRun,
  task: RunTask,
  manifest: Manifest,
  workDir: string,
  signal: AbortSignal,
): Promise<ManifestDownloads> {
  const entry = manifest.sourceFiles.find((f) => f.id === task.sourceFileId && f.action === 'bridge');
  if (!entry) throw connectorErrors.fileUnreadable(task.fileName, 'the manifest of the run does not name it');
  await fs.promises.rm(workDir, { recursive: true, force: true });
  const prefix = manifestFilesPrefix(run.id, task.id);
  const main = await fetchOne(ctx, `${prefix}0`, entry.url, entry.name, path.join(workDir, '0'), signal);
  const references: ReferenceFile[] = [];
  for (const [i, child] of entry.children.entries()) {
    const got = await fetchOne(ctx, `${prefix}${i + 1}`, child.url, child.name, path.join(workDir, String(i + 1)), signal);
    references.push({ id: child.id, parentId: child.parentId, name: child.name, relativePath: child.relativePath ?? null, ...got });
  }
  return {
    content: { version: 0, hash: main.contentHash, size: main.size, stagedName: null },
    filePath: main.filePath,
    references,
    details: {
      manifestFile: describe(entry, main),
      ...(references.length > 0 && {
        referenceFiles: references.map((r) => ({ id: r.id, parentId: r.parentId, name: r.name, size: r.size, contentHash: r.contentHash })),
      }),
    },
  };
}

function describe(entry: ManifestFile, got: { size: number; contentHash: string }) {
  return { id: entry.id, name: entry.name, size: got.size, contentHash: got.contentHash };
}

async function fetchOne(ctx: WorkerContext, key: string, url: string, name: string, dir: string, signal: AbortSignal) {
  const got = await downloadManifestFile(url, name, ctx.settings.manifest, signal, (body) => ctx.blobs.put(key, body));
  // The connector reads a file named as the manifest names it (its rules match the name).
  const filePath = await ctx.blobs.localFile(key, path.join(dir, name));
  if (!filePath) throw connectorErrors.fileUnreadable(name, 'the downloaded content is gone from the blob store');
  return { filePath, size: got.size, contentHash: got.hash };
}

/** After the attempt: what it downloaded is not kept (the changeset records its hash). */
export async function forgetManifestDownloads(ctx: WorkerContext, run: QueuedRun, task: RunTask, workDir: string): Promise<void> {
  try {
    await Promise.all([ctx.blobs.deletePrefix(manifestFilesPrefix(run.id, task.id)), fs.promises.rm(workDir, { recursive: true, force: true })]);
  } catch (error) {
    ctx.log.warn({ err: error, runId: run.id, taskId: task.id }, 'manifest downloads could not be removed');
  }
}
