import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { parsePage, toPaged, type Keyset, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import type { ManifestSourceFile } from './model.js';
import { connectionOfManifestSourceFiles } from './source-file-access.js';

/** The store orders a connection's source files by creation time, request order, then id. */
const byCreation: Keyset<ManifestSourceFile> = {
  name: 'manifestsourcefiles',
  shape: ['string', 'number', 'string'],
  keyOf: (f) => {
    if (!f.position) throw new Error(`Manifest source file ${f.id} was listed without its position`);
    return [f.position.createdAt, f.position.ordinal, f.id];
  },
};

/** Source files of a manifest connection, oldest first, paged with `$top`/`$skip` and continued by `_links.next`. */
export async function listManifestSourceFiles(
  store: Store,
  caller: Caller,
  connectionId: string,
  query: Record<string, unknown>,
): Promise<Paged<ManifestSourceFile>> {
  const connection = await connectionOfManifestSourceFiles(store, caller, connectionId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details, byCreation);
  if (details.length > 0) throw errors.invalidManifestSourceFileRequest(details);
  return toPaged(await store.manifests.listSourceFiles(connection.id, page), page, byCreation);
}
