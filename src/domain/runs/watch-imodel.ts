import type { Caller } from '../caller.js';
import { imodelForMember } from '../imodels/access.js';
import type { Store } from '../store.js';
import type { Run } from './model.js';
import { refusedAs4xx } from './watch-run.js';

/** The iModel `id` names, for a live stream of its runs, if the caller is a member of its iTwin. */
export async function imodelToWatch(store: Store, caller: Caller, iModelId: string): Promise<{ id: string }> {
  const imodel = await imodelForMember(store, caller, iModelId);
  return { id: imodel.id };
}

/**
 * The runs of the iModel a live stream follows now: its active run (at most one), and the runs it
 * followed that it has not yet seen end (so their Completed is told even when it came between two
 * reads). One look-up, plus one per run followed.
 */
export async function runsToWatch(store: Store, iModelId: string, followed: ReadonlyMap<string, string>): Promise<Run[]> {
  const active = await store.runs.findActiveOf(iModelId);
  const wanted = new Map(followed);
  if (active) wanted.set(active.id, active.connectionId);
  const runs: Run[] = [];
  for (const [runId, connectionId] of wanted) {
    const run = await store.runs.find(connectionId, runId);
    if (run) runs.push(run);
  }
  return runs;
}

/** Whether the caller is still a member of the iModel's iTwin (checked again while a stream is open). */
export function mayStillWatchIModel(store: Store, caller: Caller, iModelId: string): Promise<boolean> {
  return refusedAs4xx(() => imodelForMember(store, caller, iModelId));
}
