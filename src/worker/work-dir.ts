import path from 'node:path';
import type { QueuedRun } from '../domain/runs/model.js';
import type { WorkerContext } from './context.js';

/** The run's work folder on this machine: its tasks' output and downloads, removed as the run ends. */
export function runWorkDir(ctx: WorkerContext, run: Pick<QueuedRun, 'id'>): string {
  return path.join(ctx.dataDir, 'work', run.id);
}
