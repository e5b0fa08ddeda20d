import type { Caller } from '../caller.js';
import { ApiError } from '../errors.js';
import { connectionForCaller } from '../storage-connections/access.js';
import type { Store } from '../store.js';
import { getRun } from './get-run.js';
import type { Run } from './model.js';

/** The run a live stream is to follow, if the caller may see it (else the run's own 4xx). */
export async function runToWatch(store: Store, caller: Caller, connectionId: string, runId: string): Promise<{ connectionId: string; id: string }> {
  const run = await getRun(store, caller, connectionId, runId);
  return { connectionId: run.connectionId, id: run.id };
}

/** The followed run now; undefined once it is gone (its connection was deleted, the run with it). */
export function readWatchedRun(store: Store, run: { connectionId: string; id: string }): Promise<Run | undefined> {
  return store.runs.find(run.connectionId, run.id);
}

/**
 * Whether the caller may still see the run's connection (a stream stays open long after its first
 * check: the caller may have left the iTwin since). A connection gone ends the stream by itself.
 */
export async function mayStillWatchRun(store: Store, caller: Caller, run: { connectionId: string }): Promise<boolean> {
  return refusedAs4xx(() => connectionForCaller(store, caller, run.connectionId));
}

/** False when `check` refuses with a 4xx (not found, forbidden); other failures are thrown. */
export async function refusedAs4xx(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
    throw error;
  }
}
