import { sql, type Expression, type SqlBool } from 'kysely';
import type { SortKey } from '../domain/paging.js';

/**
 * Where a keyset page starts: the rows whose ORDER BY columns sort after (`asc`) or before (`desc`)
 * the key of the last row the client saw. Written as one row-value comparison, `(a, b) > (?, ?)`,
 * which both SQLite and PostgreSQL turn into a range scan of an index on the same columns (behind
 * the list's equality filter); see test/integration/keyset-plans.test.ts. The columns must be the
 * list's whole ORDER BY, in order, all in one direction.
 */
export function sortsAfter(columns: readonly string[], key: SortKey, direction: 'asc' | 'desc' = 'asc'): Expression<SqlBool> {
  if (columns.length !== key.length) throw new Error(`A sort key of ${key.length} values for ${columns.length} columns`);
  const op = sql.raw(direction === 'asc' ? '>' : '<');
  return sql<SqlBool>`(${sql.join(columns.map((c) => sql.ref(c)))}) ${op} (${sql.join(key.map((v) => sql`${v}`))})`;
}
