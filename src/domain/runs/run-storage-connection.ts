import { updateConnection } from '../../store/repositories/storage-connections.js';
import { findActiveRun, insertRun } from '../../store/repositories/runs.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid } from '../ids.js';
import { connectionForCaller } from '../storage-connections/access.js';
import { RunResult, RunState } from './model.js';

export type RunRequestOutcome =
  /** A new run was queued (202). */
  | { queued: true; connectionId: string; runId: string }
  /** A run of the same iModel is still active (303 to it); it may belong to another connection. */
  | { queued: false; connectionId: string; runId: string };

/**
 * Run Storage Connection. An active run of any connection of the iModel is answered with that run;
 * otherwise a run is queued and the connection's lastRun points at it in the same transaction.
 * Two requests at the same moment: the partial unique index lets one insert and the other is a 409.
 */
export async function runStorageConnection(
  store: Store,
  caller: Caller,
  connectionId: string,
  runTimeoutMs: number,
): Promise<RunRequestOutcome> {
  const connection = await connectionForCaller(store.db, caller, connectionId);
  const active = await findActiveRun(store.db, connection.imodel_id);
  if (active) return { queued: false, connectionId: active.connection_id, runId: active.id };

  return store.writeSql(async (trx) => {
    const current = await connectionForCaller(trx, caller, connectionId);
    const createdAt = nowIso();
    const id = newGuid();
    try {
      await insertRun(trx, {
        id,
        connection_id: current.id,
        imodel_id: current.imodel_id,
        requested_by: caller.subject,
        state: RunState.WaitingToExecute,
        result: RunResult.Undetermined,
        phase: null,
        error_key: null,
        error_description: null,
        created_at: createdAt,
        started_at: null,
        ended_at: null,
        deadline_ms: Date.parse(createdAt) + runTimeoutMs,
        lease_owner: null,
        lease_expires_ms: 0,
        claims: 0,
      });
    } catch (error) {
      if (store.dialect.isUniqueViolation(error)) throw errors.runRequestInProgress();
      throw error;
    }
    await updateConnection(trx, current.id, { last_run_id: id });
    return { queued: true, connectionId: current.id, runId: id };
  });
}
