import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import { groupViews, type GroupView } from './views.js';

/** An iTwin's groups, oldest first, with their users. */
export async function listGroups(
  store: Store,
  caller: Caller,
  iTwinId: string,
  query: Record<string, unknown>,
): Promise<Paged<GroupView> & { iTwinId: string }> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidGroupRequest(details);
  const paged = toPaged(await store.groups.list(itwin.id, page), page);
  return { ...paged, items: await groupViews(store, paged.items), iTwinId: itwin.id };
}

export async function getGroup(store: Store, caller: Caller, iTwinId: string, groupId: string): Promise<GroupView> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const group = await store.groups.find(itwin.id, groupId);
  if (!group) throw errors.groupNotFound();
  return (await groupViews(store, [group]))[0]!;
}
