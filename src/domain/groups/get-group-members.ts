import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import type { GroupMember } from './model.js';

/** The groups that are members of the iTwin, in the order they became members, with their roles. */
export async function listGroupMembers(
  store: Store,
  caller: Caller,
  iTwinId: string,
  query: Record<string, unknown>,
): Promise<Paged<GroupMember> & { iTwinId: string }> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidGroupRequest(details);
  return { ...toPaged(await store.groups.listMembers(itwin.id, page), page), iTwinId: itwin.id };
}

export async function getGroupMember(store: Store, caller: Caller, iTwinId: string, groupId: string): Promise<GroupMember> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const member = await store.groups.findMember(itwin.id, groupId);
  if (!member) throw errors.groupMemberNotFound();
  return member;
}
