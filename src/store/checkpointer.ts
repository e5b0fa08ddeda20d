import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * SQLite in WAL mode appends every commit to the WAL file; a checkpoint copies those pages back into
 * the database file and fsyncs both. By default the connection that commits runs the checkpoint
 * itself, inside that COMMIT, every 1000 pages: with one connection on the event loop, that stalled
 * every request for the copy and two fsyncs (most of the time COMMIT took under load).
 *
 * Here a worker thread with its own connection runs a PASSIVE checkpoint every INTERVAL_MS: it never
 * blocks the writer, and does the copying and syncing off the event loop. That alone cannot keep
 * the WAL small under a steady stream of commits: the WAL starts over from its beginning only when
 * a write transaction begins while every page of it has been copied, and a busy writer never waits
 * for that. So once the WAL holds RESTART_FRAMES pages, the worker says so and keeps copying, and
 * the write batcher holds its next batch back (beforeBatch; the event loop goes on serving) until
 * the worker has run one more checkpoint with no commit in between: it only has the pages of its
 * last pass to copy, and the batch that follows starts the WAL over. (The writer checkpointing
 * itself, even with the worker copying most of it, stalled the event loop 50-100 ms each time.)
 *
 * Durability is unchanged: a commit is in the WAL before COMMIT returns either way; checkpoints only
 * move pages that are already durable. The writer keeps its own automatic checkpoint, at a higher
 * threshold (see dialect.ts), should the worker fall behind, and back at SQLite's default if it dies.
 */
export interface Checkpointer {
  /**
   * Undefined when writes may go ahead; while the WAL is due to start over, a promise that resolves
   * once the worker has copied all of it (or after a second at most). No write may begin meanwhile.
   */
  beforeBatch(): Promise<void> | undefined;
  stop(): Promise<void>;
}

/** How often the worker checkpoints. */
const INTERVAL_MS = 100;
/**
 * 256 MiB of 4 KiB pages: the WAL size from which the worker asks for a pause to start it over. A
 * pause costs the same (20-40 ms on the bench machine) whatever the size, so a larger WAL means rarer
 * pauses, for disk space. At the bench's 2,500-3,000 creates/s (about 20 KiB of WAL each), that is
 * one pause every 4-5 s; at 64 MiB it was one a second, and the pauses made the server's p99.
 */
export const RESTART_FRAMES = 65_536;
/** Longest the writes wait for the worker; then they go ahead, and the WAL starts over another time. */
const MAX_PAUSE_MS = 1000;

// Plain CommonJS run with eval, so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
let asked = false;
function checkpoint() {
  try {
    const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
    return { log, checkpointed };
  } catch (error) {
    // SQLITE_BUSY and the like: the next round tries again.
    return { log: -1, checkpointed: -1 };
  }
}
// Until the writes pause, keep copying what they add: the pause then has only a moment's pages left.
function catchUp() {
  if (!asked) return;
  checkpoint();
  setImmediate(catchUp);
}
const timer = setInterval(() => {
  const { log } = checkpoint();
  if (log < workerData.restartFrames || asked) return;
  asked = true;
  parentPort.postMessage('restart-due');
  setImmediate(catchUp);
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'writes-paused') {
    const { log, checkpointed } = checkpoint();
    asked = false;
    parentPort.postMessage(log >= 0 && checkpointed === log ? 'copied-all' : 'copied-some');
  } else if (message === 'stop') {
    clearInterval(timer);
    checkpoint();
    db.close();
    parentPort.close();
  }
});
`;

/** `onFailure` runs if the worker dies: the writer must then checkpoint by itself again. */
export function startCheckpointer(file: string, onFailure: () => void, intervalMs = INTERVAL_MS, restartFrames = RESTART_FRAMES): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs, restartFrames } });
  // It must not keep the process alive, nor bring it down: the writer's own checkpoints go on.
  worker.unref();
  let failed = false;
  let due = false;
  let pause: { promise: Promise<void>; end(): void } | undefined;
  worker.on('error', () => {
    failed = true;
    pause?.end();
    onFailure();
  });
  worker.on('message', (message: string) => {
    if (message === 'restart-due') due = true;
    else pause?.end();
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    beforeBatch() {
      if (pause) return pause.promise;
      if (!due || failed || stopping) return undefined;
      due = false;
      let end!: () => void;
      const promise = new Promise<void>((resolve) => (end = resolve));
      const timer = setTimeout(() => end(), MAX_PAUSE_MS);
      pause = {
        promise: promise.then(() => {
          clearTimeout(timer);
          pause = undefined;
        }),
        end,
      };
      worker.postMessage('writes-paused');
      return pause.promise;
    },
    stop: () =>
      (stopping ??= (async () => {
        pause?.end();
        if (!failed) worker.postMessage('stop');
        const timeout = setTimeout(() => void worker.terminate(), 5_000);
        await exited;
        clearTimeout(timeout);
      })()),
  };
}
