import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import { locatedIn } from './data-center.js';
import { parsePage, toPaged, type Keyset, type Paged } from '../paging.js';
import { property } from '../request-body.js';
import type { Store } from '../store.js';
import type { IModel } from './model.js';

export interface IModelList extends Paged<IModel> {
  filter: { iTwinId: string; name?: string };
}

/** The store orders an iTwin's iModels by creation time, then id. */
const byCreation: Keyset<IModel> = { name: 'imodels', shape: ['string', 'string'], keyOf: (m) => [m.createdAt, m.id] };

/** iModels of one iTwin (`iTwinId` required), oldest first, optionally of one exact `name`. */
export async function listIModels(store: Store, caller: Caller, query: Record<string, unknown>): Promise<IModelList> {
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details, byCreation);
  const rawITwinId = property(query, 'iTwinId');
  if (typeof rawITwinId !== 'string' || rawITwinId === '') {
    details.push({ code: 'MissingRequiredProperty', message: 'Required property is missing.', target: 'iTwinId' });
  }
  const rawName = property(query, 'name');
  const name = typeof rawName === 'string' && rawName !== '' ? rawName : undefined;
  if (details.length > 0) throw errors.invalidIModelRequest(details);
  const itwin = await itwinForMember(store, caller, rawITwinId as string, 'imodels_read');
  const imodels = await store.imodels.list(itwin.id, { name }, page);
  const paged = toPaged(imodels, page, byCreation);
  return { ...paged, items: paged.items.map((m) => locatedIn(itwin, m)), filter: { iTwinId: itwin.id, name } };
}
