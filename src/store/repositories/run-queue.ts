import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { RunRow } from '../schema-runs.js';

type Db = Kysely<Database>;

/** The lease is gone: the run was taken over, cancelled, or deleted with its connection. */
export class LeaseLost extends Error {
  constructor(runId: string) {
    super(`lease of run ${runId} lost`);
    this.name = 'LeaseLost';
  }
}

/** Oldest active runs whose lease is free or expired: the candidates a worker may claim. */
export async function claimableRuns(db: Db, nowMs: number, limit: number): Promise<Pick<RunRow, 'id'>[]> {
  return db
    .selectFrom('runs')
    .select('id')
    .where('state', '<>', 'Completed')
    .where('lease_expires_ms', '<', nowMs)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Claims a run by a conditional update: it succeeds only if the lease is still free or expired, so
 * of several workers racing for a run exactly one gets it.
 */
export async function claimRun(db: Db, id: string, owner: string, nowMs: number, leaseMs: number): Promise<RunRow | undefined> {
  return db
    .updateTable('runs')
    .set((eb) => ({ lease_owner: owner, lease_expires_ms: nowMs + leaseMs, claims: eb('claims', '+', 1) }))
    .where('id', '=', id)
    .where('state', '<>', 'Completed')
    .where('lease_expires_ms', '<', nowMs)
    .returningAll()
    .executeTakeFirst();
}

/** Extends the lease; false when it is no longer ours. */
export async function renewLease(db: Db, id: string, owner: string, untilMs: number): Promise<boolean> {
  const result = await db
    .updateTable('runs')
    .set({ lease_expires_ms: untilMs })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('state', '<>', 'Completed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives the run back to the queue at once (graceful shutdown), instead of waiting for the lease to expire. */
export async function releaseLease(db: Db, id: string, owner: string): Promise<void> {
  await db.updateTable('runs').set({ lease_owner: null, lease_expires_ms: 0 }).where('id', '=', id).where('lease_owner', '=', owner).execute();
}

/**
 * Inside a worker's transaction: changes the run only if it is still ours and active, else throws
 * LeaseLost (rolling the transaction back). A step that changes the run anyway needs no separate
 * assertLease.
 */
export async function updateOwnedRun(db: Db, id: string, owner: string, changes: Partial<RunRow>): Promise<void> {
  const result = await db
    .updateTable('runs')
    .set(changes)
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('state', '<>', 'Completed')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new LeaseLost(id);
}

/**
 * Inside a worker's transaction: proves the run is still ours and active (and on PostgreSQL locks
 * its row until commit), so the transaction's effects land only while the lease holds.
 */
export async function assertLease(db: Db, id: string, owner: string): Promise<void> {
  const result = await db
    .updateTable('runs')
    .set({ lease_owner: owner })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('state', '<>', 'Completed')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new LeaseLost(id);
}
