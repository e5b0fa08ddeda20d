import type { IModelDb } from '@itwin/core-backend';
import { QueryBinder, QueryRowFormat } from '@itwin/core-common';

export type Row = Record<string, unknown>;

/**
 * The rows of an ECSQL query, each an object keyed by the query's column names (aliases, or the
 * EC property names with `SELECT *`). Ids come as hexadecimal Id64 strings, navigation properties
 * as `{Id, RelECClassId}`; a column that is null is absent from its row.
 */
export async function rows(db: IModelDb, ecsql: string, params?: unknown[]): Promise<Row[]> {
  const binder = params ? QueryBinder.from(params) : undefined;
  const out: Row[] = [];
  for await (const row of db.createQueryReader(ecsql, binder, { rowFormat: QueryRowFormat.UseECSqlPropertyNames })) out.push(row.toRow() as Row);
  return out;
}

/** A column's value as text, or null. */
export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A navigation property's target id, or null (iTwin.js writes "0" for none). */
export function navId(value: unknown): string | null {
  const id = (value as { Id?: unknown } | null | undefined)?.Id;
  return typeof id === 'string' && id !== '0' ? id : null;
}

/** Compares Id64 strings (`0x…`) as the numbers they are. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
