import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * What /metrics reports about runs, read from the store at scrape time so that every process
 * sharing the store reports the same numbers (a counter kept per process would not add up across
 * API processes and workers). Both are one aggregate over the runs table.
 */
export async function runCountsByStateAndResult(db: Kysely<Database>): Promise<{ state: string; result: string; count: number }[]> {
  const rows = await db
    .selectFrom('runs')
    .select(['state', 'result', (eb) => eb.fn.countAll().as('count')])
    .groupBy(['state', 'result'])
    .execute();
  return rows.map((r) => ({ state: r.state, result: r.result, count: Number(r.count) }));
}

/** Runs waiting for a worker: not completed, and no live lease (never claimed, released, or its worker died). */
export async function queuedRunCount(db: Kysely<Database>, nowMs: number): Promise<number> {
  const row = await db
    .selectFrom('runs')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('state', '<>', 'Completed')
    .where('lease_expires_ms', '<', nowMs)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
