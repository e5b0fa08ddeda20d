import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { parsePage, toPaged, type Keyset, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import { connectionOfSourceFiles } from './access.js';
import type { SourceFile } from './model.js';

/** The store orders a connection's source files by creation time, request order, then id. */
const byCreation: Keyset<SourceFile> = {
  name: 'sourcefiles',
  shape: ['string', 'number', 'string'],
  keyOf: (f) => {
    if (!f.position) throw new Error(`Source file ${f.id} was listed without its position`);
    return [f.position.createdAt, f.position.ordinal, f.id];
  },
};

/** Source files of a connection, oldest first, paged with `$top`/`$skip`. */
export async function listSourceFiles(store: Store, caller: Caller, connectionId: string, query: Record<string, unknown>): Promise<Paged<SourceFile>> {
  const connection = await connectionOfSourceFiles(store, caller, connectionId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details, byCreation);
  if (details.length > 0) throw errors.invalidSourceFileRequest(details);
  return toPaged(await store.connections.listSourceFiles(connection.id, page), page, byCreation);
}
