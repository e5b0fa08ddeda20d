import type { Caller } from '../caller.js';
import { errors, type ApiError, type ErrorDetail } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { requireMember } from '../itwins/access.js';
import { parsePage, toPaged, type Keyset, type Paged } from '../paging.js';
import { property } from '../request-body.js';
import type { Store } from '../store.js';
import { detail } from './create-body.js';
import type { ConnectionKind, StorageConnection } from './model.js';

export interface ListConnectionsOptions {
  /** `GET /imodels/connections` requires the iModel; `GET /imodels/storageconnections` does not. */
  requireIModel: boolean;
  /** Connections of this kind only; every kind when left out (the generic list). */
  kind?: ConnectionKind;
  invalid: (details: ErrorDetail[]) => ApiError;
}

export interface ConnectionList extends Paged<StorageConnection> {
  /** The iModel the list is filtered on, canonical, for the paging links. */
  iModelId?: string;
}

/** The store orders connections by creation time, then id. */
const byCreation: Keyset<StorageConnection> = { name: 'connections', shape: ['string', 'string'], keyOf: (c) => [c.createdAt, c.id] };

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
  const page = parsePage(query, details, byCreation);
  let iModelId: string | undefined;
  const raw = property(query, 'imodelId');
  if (raw === undefined || raw === '') {
    if (options.requireIModel) details.push(detail.missingIModelId());
  } else if (typeof raw !== 'string' || !isGuid(raw)) details.push(detail.invalidIModelId());
  else iModelId = canonicalGuid(raw);
  if (details.length > 0) throw options.invalid(details);

  if (iModelId !== undefined) {
    const iModel = await store.imodels.find(iModelId);
    if (!iModel) throw errors.iModelNotFound();
    await requireMember(store, caller, iModel.iTwinId, 'imodels_read');
  }
  const connections = await store.connections.list({ iModelId, subject: caller.subject, kind: options.kind }, page);
  return { ...toPaged(connections, page, byCreation), iModelId };
}
