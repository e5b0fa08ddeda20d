import type { Caller } from '../caller.js';
import type { ErrorDetail } from '../errors.js';
import { parsePage, toPaged, type Keyset, type Paged } from '../paging.js';
import { STORAGE_RUNS, type RunsOfKind } from './kinds.js';
import type { Store } from '../store.js';
import type { Run } from './model.js';

/** The store orders a connection's runs by creation time (their startDateTime), then id, both descending. */
const newestFirst: Keyset<Run> = { name: 'runs', shape: ['string', 'string'], keyOf: (r) => [r.startDateTime, r.id] };

/** Runs of a connection, newest first; jobs and tasks are loaded only when whole runs are wanted. */
export async function listRuns(
  store: Store,
  caller: Caller,
  connectionId: string,
  query: Record<string, unknown>,
  whole: boolean,
  kind: RunsOfKind = STORAGE_RUNS,
): Promise<Paged<Run>> {
  const connection = await kind.access(store, caller, connectionId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details, newestFirst);
  if (details.length > 0) throw kind.invalid(details);
  const paged = toPaged(await store.runs.listOf(connection.id, page), page, newestFirst);
  if (!whole) return paged;
  const jobs = await store.runs.jobsOf(paged.items.map((r) => r.id));
  return { ...paged, items: paged.items.map((run) => ({ ...run, jobs: jobs.get(run.id) ?? [] })) };
}
