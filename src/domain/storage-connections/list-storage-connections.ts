import { findIModel } from '../../store/repositories/imodels.js';
import { isMember } from '../../store/repositories/itwins.js';
import { listConnections } from '../../store/repositories/storage-connections.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { errors, type ApiError, type ErrorDetail } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import { property } from '../request-body.js';
import { detail } from './create-body.js';
import { connectionFromRow, type StorageConnection } from './model.js';

export interface ListConnectionsOptions {
  /** `GET /imodels/connections` requires the iModel; `GET /imodels/storageconnections` does not. */
  requireIModel: boolean;
  invalid: (details: ErrorDetail[]) => ApiError;
}

export interface ConnectionList extends Paged<StorageConnection> {
  /** The iModel the list is filtered on, canonical, for the paging links. */
  iModelId?: string;
}

/**
 * Connections of an iModel (query names in any case: `imodelId`, `iModelId`), oldest first, or
 * without one every connection the caller can see. Bad paging values are 422 details.
 */
export async function listStorageConnections(
  store: Store,
  caller: Caller,
  query: Record<string, unknown>,
  options: ListConnectionsOptions,
): Promise<ConnectionList> {
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  let iModelId: string | undefined;
  const raw = property(query, 'imodelId');
  if (raw === undefined || raw === '') {
    if (options.requireIModel) details.push(detail.missingIModelId());
  } else if (typeof raw !== 'string' || !isGuid(raw)) details.push(detail.invalidIModelId());
  else iModelId = canonicalGuid(raw);
  if (details.length > 0) throw options.invalid(details);

  if (iModelId !== undefined) {
    const iModel = await findIModel(store.db, iModelId);
    if (!iModel) throw errors.iModelNotFound();
    if (!(await isMember(store.db, iModel.itwin_id, caller.subject))) throw errors.insufficientPermissions();
  }
  const rows = await listConnections(store.db, { imodelId: iModelId, subject: caller.subject }, page);
  const paged = toPaged(rows, page);
  return { ...paged, items: paged.items.map(connectionFromRow), iModelId };
}
