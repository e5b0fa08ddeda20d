import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import type { Store } from '../store.js';
import type { Member } from './model.js';

/** Members of an iTwin, longest-standing first; only its members may see them. */
export async function listMembers(store: Store, caller: Caller, iTwinId: string, query: Record<string, unknown>): Promise<Paged<Member> & { iTwinId: string }> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidMemberRequest(details);
  return { ...toPaged(await store.itwins.listMembers(itwin.id, page), page), iTwinId: itwin.id };
}

export async function getMember(store: Store, caller: Caller, iTwinId: string, memberId: string): Promise<Member> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const member = await store.itwins.findMember(itwin.id, memberId);
  if (!member) throw errors.memberNotFound();
  return member;
}
