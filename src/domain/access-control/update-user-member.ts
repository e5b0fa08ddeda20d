import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { requireRoles } from './add-user-members.js';
import { parseMemberRoles } from './bodies.js';
import type { UserMemberView } from './model.js';
import { userMemberViews } from './views.js';

/** Replaces a member's roles; its permissions change in the same transaction. */
export async function updateUserMember(store: Store, caller: Caller, iTwinId: string, memberId: string, body: unknown): Promise<UserMemberView> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_invite_member');
  const roleIds = parseMemberRoles(body);
  const member = await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_invite_member');
    const member = await tx.itwins.findMember(itwin.id, memberId);
    if (!member) throw errors.memberNotFound();
    await requireRoles(tx, itwin.id, roleIds);
    await tx.itwins.setMemberRoles(itwin.id, memberId, roleIds);
    return member;
  });
  return (await userMemberViews(store, itwin.id, [member]))[0]!;
}
