import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid } from '../ids.js';
import { connectionForCaller } from '../storage-connections/access.js';
import type { Repositories, Store } from '../store.js';
import type { ConnectionKind } from '../storage-connections/model.js';
import { RunResult, RunState } from './model.js';

export type RunRequestOutcome =
  /** A new run was queued (202). */
  | { queued: true; connectionId: string; runId: string }
  /** A run of the same iModel is still active (303 to it); it may belong to another connection, of either kind. */
  | { queued: false; connectionId: string; runId: string; kind: ConnectionKind };

/** The iModel's active run as a 303 names it: under its own connection's kind of path. */
export async function activeRunOf(store: Store, iModelId: string): Promise<Extract<RunRequestOutcome, { queued: false }> | undefined> {
  const active = await store.runs.findActiveOf(iModelId);
  if (!active) return undefined;
  const kind = (await store.connections.find(active.connectionId))?.kind ?? 'storage';
  return { queued: false, connectionId: active.connectionId, runId: active.id, kind };
}

/**
 * Run Storage Connection. An active run of any connection of the iModel is answered with that run;
 * otherwise a run is queued and the connection's lastRun points at it in the same transaction.
 * Two requests at the same moment: the store keeps one active run per iModel, so one is queued and
 * the other is a 409.
 */
export async function runStorageConnection(store: Store, caller: Caller, connectionId: string, runTimeoutMs: number): Promise<RunRequestOutcome> {
  const connection = await connectionForCaller(store, caller, connectionId, 'imodels_write');
  const active = await activeRunOf(store, connection.iModelId);
  if (active) return active;

  return store.write(async (tx) => queueRun(tx, await connectionForCaller(tx, caller, connectionId, 'imodels_write'), caller, runTimeoutMs));
}

/**
 * Inside the request's transaction: queues a run of `connection` (read again in that transaction),
 * lets `withRun` store what belongs to it (a manifest run's manifest), and points the connection's
 * lastRun at it; a 409 when the iModel has an active run already (the store keeps one per iModel).
 * Shared by storage and manifest connections.
 */
export async function queueRun(
  tx: Repositories,
  connection: { id: string; iModelId: string },
  caller: Caller,
  runTimeoutMs: number,
  withRun?: (runId: string) => Promise<void>,
): Promise<RunRequestOutcome> {
  const createdAt = nowIso();
  const id = newGuid();
  const queued = await tx.runs.insert({
    id,
    connectionId: connection.id,
    iModelId: connection.iModelId,
    requestedBy: caller.subject,
    state: RunState.WaitingToExecute,
    result: RunResult.Undetermined,
    createdAt,
    deadlineMs: Date.parse(createdAt) + runTimeoutMs,
  });
  if (!queued) throw errors.runRequestInProgress();
  await withRun?.(id);
  await tx.connections.setLastRun(connection.id, id);
  return { queued: true, connectionId: connection.id, runId: id };
}
