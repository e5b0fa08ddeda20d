import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { imodelForMember } from '../imodels/access.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import { property } from '../request-body.js';
import type { Store } from '../store.js';
import type { NamedVersion } from './model.js';
import { parseOrderBy } from './query.js';

export interface NamedVersionList extends Paged<NamedVersion> {
  iModelId: string;
  filter: { name?: string; $orderBy?: string };
}

/** An iModel's named versions by changeset index (ascending unless `$orderBy=changesetIndex desc`), optionally of one exact `name`. */
export async function listNamedVersions(store: Store, caller: Caller, iModelId: string, query: Record<string, unknown>): Promise<NamedVersionList> {
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  const order = parseOrderBy(query, 'changesetIndex', details);
  const rawName = property(query, 'name');
  const name = typeof rawName === 'string' && rawName !== '' ? rawName : undefined;
  if (details.length > 0) throw errors.invalidIModelRequest(details);
  const imodel = await imodelForMember(store, caller, iModelId);
  const rows = await store.versions.listNamedVersions(imodel.id, { name, order: order ?? 'asc' }, page);
  return { ...toPaged(rows, page), iModelId: imodel.id, filter: { name, $orderBy: order && `changesetIndex ${order}` } };
}
