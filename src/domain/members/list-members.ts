import { findMember, listMembers as listRows } from '../../store/repositories/itwins.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import { parsePage, toPaged, type Paged } from '../paging.js';
import { memberFromRow, type Member } from './model.js';

/** Members of an iTwin, longest-standing first; only its members may see them. */
export async function listMembers(store: Store, caller: Caller, iTwinId: string, query: Record<string, unknown>): Promise<Paged<Member> & { iTwinId: string }> {
  const itwin = await itwinForMember(store.db, caller, iTwinId);
  const details: ErrorDetail[] = [];
  const page = parsePage(query, details);
  if (details.length > 0) throw errors.invalidMemberRequest(details);
  const paged = toPaged(await listRows(store.db, itwin.id, page), page);
  return { ...paged, items: paged.items.map(memberFromRow), iTwinId: itwin.id };
}

export async function getMember(store: Store, caller: Caller, iTwinId: string, memberId: string): Promise<Member> {
  const itwin = await itwinForMember(store.db, caller, iTwinId);
  const row = await findMember(store.db, itwin.id, memberId);
  if (!row) throw errors.memberNotFound();
  return memberFromRow(row);
}
