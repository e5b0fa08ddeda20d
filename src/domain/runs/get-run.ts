import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { isGuid } from '../ids.js';
import { connectionForCaller } from '../storage-connections/access.js';
import type { Store } from '../store.js';
import type { Run } from './model.js';

export async function getRun(store: Store, caller: Caller, connectionId: string, runId: string): Promise<Run> {
  const connection = await connectionForCaller(store, caller, connectionId);
  if (!isGuid(runId)) {
    throw errors.invalidStorageConnectionRequest([{ code: 'InvalidValue', message: 'Provided runId value is not valid.', target: 'runId' }]);
  }
  const run = await store.runs.find(connection.id, runId.toLowerCase());
  if (!run) throw errors.runNotFound();
  return run;
}
