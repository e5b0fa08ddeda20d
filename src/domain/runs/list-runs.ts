import { jobsAndTasks, listRuns as listRows } from '../../store/repositories/runs.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import { connectionForCaller } from '../storage-connections/access.js';
import { runFromRows, type Run } from './model.js';

/** Runs of a connection, newest first; jobs and tasks are loaded only when whole runs are wanted. */
export async function listRuns(
  store: Store,
  caller: Caller,
  connectionId: string,
  query: Record<string, unknown>,
  whole: boolean,
): Promise<Paged<Run>> {
  const connection = await connectionForCaller(store.db, caller, connectionId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidStorageConnectionRequest(details);
  const paged = toPaged(await listRows(store.db, connection.id, page), page);
  const { jobs, tasks } = whole ? await jobsAndTasks(store.db, paged.items.map((r) => r.id)) : { jobs: [], tasks: [] };
  return {
    ...paged,
    items: paged.items.map((run) => runFromRows(run, jobs.filter((j) => j.run_id === run.id), tasks.filter((t) => t.run_id === run.id))),
  };
}
