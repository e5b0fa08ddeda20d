import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import { property } from '../request-body.js';
import type { Store } from '../store.js';
import { ITWIN_SUBCLASSES, type ITwin } from './model.js';

export interface ITwinList extends Paged<ITwin> {
  filter: { subClass?: string; includeInactive?: string };
}

/**
 * The iTwins the caller is a member of, oldest first. Like the iTwins API, Inactive iTwins are left
 * out unless `includeInactive=true`; `subClass` filters (any case).
 */
export async function listMyITwins(store: Store, caller: Caller, query: Record<string, unknown>): Promise<ITwinList> {
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  let subClass: string | undefined;
  const rawSubClass = property(query, 'subClass');
  if (typeof rawSubClass === 'string' && rawSubClass !== '') {
    subClass = ITWIN_SUBCLASSES.find((s) => s.toLowerCase() === rawSubClass.toLowerCase());
    if (!subClass) details.push({ code: 'InvalidValue', message: `subClass must be one of: ${ITWIN_SUBCLASSES.join(', ')}.`, target: 'subClass' });
  }
  const rawInactive = property(query, 'includeInactive');
  let includeInactive = false;
  if (typeof rawInactive === 'string' && rawInactive !== '') {
    if (/^(true|false)$/i.test(rawInactive)) includeInactive = rawInactive.toLowerCase() === 'true';
    else details.push({ code: 'InvalidValue', message: 'includeInactive must be true or false.', target: 'includeInactive' });
  }
  if (details.length > 0) throw errors.invalidITwinRequest(details);
  const itwins = await store.itwins.listOf(caller.subject, { subClass, includeInactive }, page);
  return {
    ...toPaged(itwins, page),
    filter: { subClass, includeInactive: includeInactive ? 'true' : undefined },
  };
}
