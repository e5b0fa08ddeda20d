import { listSourceFiles as listRows } from '../../store/repositories/storage-connections.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import { connectionOfSourceFiles } from './access.js';
import { sourceFileFromRow, type SourceFile } from './model.js';

/** Source files of a connection, oldest first, paged with `$top`/`$skip`. */
export async function listSourceFiles(
  store: Store,
  caller: Caller,
  connectionId: string,
  query: Record<string, unknown>,
): Promise<Paged<SourceFile>> {
  const connection = await connectionOfSourceFiles(store.db, caller, connectionId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidSourceFileRequest(details);
  const paged = toPaged(await listRows(store.db, connection.id, page), page);
  return { ...paged, items: paged.items.map(sourceFileFromRow) };
}
