import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import type { UserMemberView } from './model.js';
import { userMemberViews } from './views.js';

/**
 * User members in the Access Control v2 sense: every member that is not an owner, and owners that
 * also hold roles (an owner without roles is listed only among the owners), oldest first.
 */
export function listUserMembers(store: Store, caller: Caller, iTwinId: string, query: Record<string, unknown>): Promise<MemberPage> {
  return listMemberViews(store, caller, iTwinId, query, { users: true });
}

type MemberPage = Paged<UserMemberView> & { iTwinId: string };

/** One page of the iTwin's members that `filter` selects (user members or owners), as v2 shows them. */
export async function listMemberViews(
  store: Store,
  caller: Caller,
  iTwinId: string,
  query: Record<string, unknown>,
  filter: { owners?: boolean; users?: boolean },
): Promise<MemberPage> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidMemberRequest(details);
  const paged = toPaged(await store.itwins.listMembers(itwin.id, page, filter), page);
  return { ...paged, items: await userMemberViews(store, itwin.id, paged.items), iTwinId: itwin.id };
}

export async function getUserMember(store: Store, caller: Caller, iTwinId: string, memberId: string): Promise<UserMemberView> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const member = await store.itwins.findMember(itwin.id, memberId);
  if (!member) throw errors.memberNotFound();
  const [view] = await userMemberViews(store, itwin.id, [member]);
  if (!view || (member.owner && view.roles.length === 0)) throw errors.memberNotFound();
  return view;
}
