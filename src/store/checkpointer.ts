import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite in WAL mode appends every commit to the WAL file; a checkpoint copies those pages back into
 * the database file and fsyncs both. By default the connection that commits runs the checkpoint
 * itself, inside that COMMIT, every 1000 pages: with one connection on the event loop, that stalled
 * every request for the copy of 1000 pages and two fsyncs (most of the time COMMIT took under load).
 *
 * Here a worker thread with its own connection runs a PASSIVE checkpoint every INTERVAL_MS: it
 * never blocks the writer, and it does the bulk of the copying and syncing off the event loop. It
 * cannot finish the job alone under a steady stream of commits: the WAL file starts over from its
 * beginning only when a writer begins while every page of it has been copied, which a checkpoint
 * on another thread, racing the next commit, rarely leaves it. So the writer keeps its own
 * automatic checkpoint, at a higher threshold (WRITER_CHECKPOINT_PAGES, see dialect.ts): when it
 * comes, only the pages of the last INTERVAL_MS are left to copy, and the WAL then starts over.
 *
 * Durability is unchanged: a commit is in the WAL before COMMIT returns either way; checkpoints
 * only move pages that are already durable.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

/** How often the worker checkpoints. */
const INTERVAL_MS = 100;

// Plain CommonJS run with eval, so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
let stopped = false;
function checkpoint() {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // SQLITE_BUSY and the like: the next round tries again.
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  if (stopped) return;
  stopped = true;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(file: string, intervalMs = INTERVAL_MS): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  // It must not keep the process alive, nor bring it down: the writer's own checkpoints go on.
  worker.unref();
  let failed = false;
  worker.on('error', () => (failed = true));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        if (!failed) worker.postMessage('stop');
        const timeout = setTimeout(() => void worker.terminate(), 5_000);
        await exited;
        clearTimeout(timeout);
      })()),
  };
}
