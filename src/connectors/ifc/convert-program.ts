/**
 * The builtin IFC connector's converter as a one-task program: parsing and writing happen in native
 * code (web-ifc, iTwin.js) that must neither block the API's event loop nor take the server down if
 * it crashes. What one task does is convert-task.ts; this is the process around it: its environment
 * is the task's, and its exit code says how it ended. It writes iModels' baselines (baseline.ts);
 * the connector's tasks run in warm-program.ts, which ends each task the way this program would.
 *
 * Exit 0: done; 2: the file cannot be converted (no retry helps); 1: anything else.
 */
import { convertTask } from './convert-task.js';
import { CANNOT_CONVERT_EXIT_CODE } from './exit-codes.js';
import { failureOf } from './conversion-errors.js';
import { removeUnfinishedFile } from './write-imodel.js';

// Stopped (time limit, cancelled run): leave no half-written version behind. Native work blocks
// the event loop, so this may only run once it returns, or never (SIGKILL after the grace period).
process.once('SIGTERM', () => {
  removeUnfinishedFile();
  process.exit(143);
});

convertTask(process.env).then(
  () => process.exit(0),
  (error: unknown) => {
    const { message, fileAtFault } = failureOf(error);
    process.stderr.write(`${message}\n`);
    process.exit(fileAtFault ? CANNOT_CONVERT_EXIT_CODE : 1);
  },
);
