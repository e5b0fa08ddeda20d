import type { Caller } from '../caller.js';
import { isGuid } from '../ids.js';
import type { Store } from '../store.js';
import { STORAGE_RUNS, type RunsOfKind } from './kinds.js';
import type { Run } from './model.js';

export async function getRun(store: Store, caller: Caller, connectionId: string, runId: string, kind: RunsOfKind = STORAGE_RUNS): Promise<Run> {
  const connection = await kind.access(store, caller, connectionId);
  if (!isGuid(runId)) {
    throw kind.invalid([{ code: 'InvalidValue', message: 'Provided runId value is not valid.', target: 'runId' }]);
  }
  const run = await store.runs.find(connection.id, runId.toLowerCase());
  if (!run) throw kind.notFound();
  return run;
}
