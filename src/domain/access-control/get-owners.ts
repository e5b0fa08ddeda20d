import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import type { UserMemberView } from './model.js';
import { userMemberViews } from './views.js';

/** The iTwin's owners, oldest first. */
export async function listOwners(
  store: Store,
  caller: Caller,
  iTwinId: string,
  query: Record<string, unknown>,
): Promise<Paged<UserMemberView> & { iTwinId: string }> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidMemberRequest(details);
  const paged = toPaged(await store.itwins.listMembers(itwin.id, page, { owners: true }), page);
  return { ...paged, items: await userMemberViews(store, itwin.id, paged.items), iTwinId: itwin.id };
}
