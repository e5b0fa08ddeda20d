import { findRun, jobsAndTasks } from '../../store/repositories/runs.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { isGuid } from '../ids.js';
import { connectionForCaller } from '../storage-connections/access.js';
import { runFromRows, type Run } from './model.js';

export async function getRun(store: Store, caller: Caller, connectionId: string, runId: string): Promise<Run> {
  const connection = await connectionForCaller(store.db, caller, connectionId);
  if (!isGuid(runId)) {
    throw errors.invalidStorageConnectionRequest([{ code: 'InvalidValue', message: 'Provided runId value is not valid.', target: 'runId' }]);
  }
  const run = await findRun(store.db, connection.id, runId.toLowerCase());
  if (!run) throw errors.runNotFound();
  const { jobs, tasks } = await jobsAndTasks(store.db, [run.id]);
  return runFromRows(run, jobs, tasks);
}
