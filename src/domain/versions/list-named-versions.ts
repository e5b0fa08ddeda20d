import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { imodelForMember } from '../imodels/access.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import type { NamedVersion, NamedVersionState } from './model.js';
import { parseOrderBy, text } from './query.js';

export interface NamedVersionList extends Paged<NamedVersion> {
  iModelId: string;
  filter: { name?: string; state?: string; $search?: string; $orderBy?: string };
}

const STATES: readonly NamedVersionState[] = ['visible', 'hidden'];

/**
 * An iModel's named versions, by changeset index (ascending) unless `$orderBy` says
 * `changesetIndex desc` or `createdDateTime [asc|desc]`; optionally only those of one exact `name`,
 * of one `state`, or whose name or description contains `$search` (ignoring case), as the iModels
 * API filters them.
 */
export async function listNamedVersions(store: Store, caller: Caller, iModelId: string, query: Record<string, unknown>): Promise<NamedVersionList> {
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  const order = parseOrderBy(query, ['changesetIndex', 'createdDateTime'], details);
  const name = text(query, 'name', details);
  const search = text(query, '$search', details);
  const rawState = text(query, 'state', details);
  const state = STATES.find((s) => s === rawState?.toLowerCase());
  if (rawState !== undefined && !state) details.push({ code: 'InvalidValue', message: "state must be 'visible' or 'hidden'.", target: 'state' });
  if (details.length > 0) throw errors.invalidIModelRequest(details);
  const imodel = await imodelForMember(store, caller, iModelId);
  const rows = await store.versions.listNamedVersions(
    imodel.id,
    { name, state, search, orderBy: order?.property ?? 'changesetIndex', order: order?.direction ?? 'asc' },
    page,
  );
  return {
    ...toPaged(rows, page),
    iModelId: imodel.id,
    filter: { name, state, $search: search, $orderBy: order && `${order.property} ${order.direction}` },
  };
}
