import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import { connectionOfSourceFiles } from './access.js';
import type { SourceFile } from './model.js';

/** Source files of a connection, oldest first, paged with `$top`/`$skip`. */
export async function listSourceFiles(store: Store, caller: Caller, connectionId: string, query: Record<string, unknown>): Promise<Paged<SourceFile>> {
  const connection = await connectionOfSourceFiles(store, caller, connectionId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidSourceFileRequest(details);
  return toPaged(await store.connections.listSourceFiles(connection.id, page), page);
}
