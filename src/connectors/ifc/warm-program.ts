/**
 * The builtin IFC connector's converter kept warm: one process serves task after task for
 * converter-pool.ts, so that loading web-ifc and iTwin.js (2 to 3 s) is paid once per process, not
 * once per task. Native work still stays out of the worker's process. Each task is convert-task.ts,
 * as in the one-task program (convert-program.ts), and ends with the exit code that program would
 * have had, sent back as a message (warm-protocol.ts).
 *
 * iTwin.js stays started between tasks, with a cache folder of this process's own (two warm
 * processes never share one); it is shut down and the folder removed when the process is told to
 * end. The process ends by itself when the worker's process goes away (the IPC channel closes).
 */
import fs from 'node:fs';
import { IModelHost } from '@itwin/core-backend';
import { warmCacheDir } from './converter.js';
import { convertTask } from './convert-task.js';
import { CANNOT_CONVERT_EXIT_CODE } from './exit-codes.js';
import { failureOf } from './conversion-errors.js';
import { openIfc } from './read-ifc.js';
import type { FromConverter, ToConverter } from './warm-protocol.js';
import { keepIModelHostStarted, removeUnfinishedFile, startIModelHost } from './write-imodel.js';

// Stopped (time limit, cancelled run): leave no half-written version behind. Native work blocks
// the event loop, so this may only run once it returns, or never (SIGKILL after the grace period).
process.once('SIGTERM', () => {
  removeUnfinishedFile();
  process.exit(143);
});

/** A file with a project and no products: reading it once loads web-ifc's WebAssembly before the first task. */
const EMPTY_IFC = `ISO-10303-21;
HEADER;
FILE_DESCRIPTION(('ViewDefinition [ReferenceView]'),'2;1');
FILE_NAME('warm-up.ifc','2026-12-06T00:00:00',(''),(''),'twinsync','twinsync','');
FILE_SCHEMA(('IFC4'));
ENDSEC;
DATA;
#1=IFCPROJECT('0YvctVUKr0kugbFTf53O9L',$,'Warm-up',$,$,$,$,$,$);
ENDSEC;
END-ISO-10303-21;
`;

const cacheBase = process.env.TWINSYNC_ITWIN_CACHE_DIR;
if (!process.send || !cacheBase) {
  process.stderr.write('The warm IFC converter runs under the builtin IFC connector only (an IPC channel and TWINSYNC_ITWIN_CACHE_DIR).\n');
  process.exit(1);
}
const cacheDir = warmCacheDir(cacheBase, process.pid);

function send(message: FromConverter): void {
  // The worker's process may be gone: the 'disconnect' handler ends this one.
  process.send?.(message, undefined, {}, () => undefined);
}

let ending = false;
async function end(): Promise<void> {
  if (ending) return;
  ending = true;
  await IModelHost.shutdown().catch(() => undefined);
  fs.rmSync(cacheDir, { recursive: true, force: true });
  process.exit(0);
}

async function runTask(id: number, env: Record<string, string>): Promise<void> {
  let exitCode = 0;
  let message: string | undefined;
  try {
    await convertTask({ ...process.env, ...env, TWINSYNC_ITWIN_CACHE_DIR: cacheDir });
  } catch (error) {
    // As the one-task program (failureOf: words, never "[object …]"): the message is the end of
    // stderr, which the task error shows.
    const failure = failureOf(error);
    message = failure.message;
    process.stderr.write(`${message}\n`);
    exitCode = failure.fileAtFault ? CANNOT_CONVERT_EXIT_CODE : 1;
  }
  send({ type: 'done', id, exitCode, ...(message !== undefined && { message }), rssBytes: process.memoryUsage.rss() });
}

keepIModelHostStarted();
await startIModelHost(cacheDir);
await openIfc(new TextEncoder().encode(EMPTY_IFC))
  .then((reading) => reading.close())
  .catch(() => undefined);

process.on('disconnect', () => {
  // Nobody is left to take a result: end now, without a half-written version.
  removeUnfinishedFile();
  void end();
});
process.on('message', (message: ToConverter) => {
  if (ending) return;
  if (message.type === 'task') void runTask(message.id, message.env);
  else if (message.type === 'exit') void end();
});
send({ type: 'ready' });
