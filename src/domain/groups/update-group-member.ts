import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { requireRoles } from '../access-control/add-user-members.js';
import { parseMemberRoles } from '../access-control/bodies.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import type { GroupMember } from './model.js';

/** Replaces the roles a member group holds; its users' permissions change in the same transaction. */
export async function updateGroupMember(store: Store, caller: Caller, iTwinId: string, groupId: string, body: unknown): Promise<GroupMember> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_invite_member');
  const roleIds = parseMemberRoles(body);
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_invite_member');
    if (!(await tx.groups.findMember(itwin.id, groupId))) throw errors.groupMemberNotFound();
    await requireRoles(tx, itwin.id, roleIds);
    await tx.groups.setMemberRoles(itwin.id, groupId, roleIds, nowIso());
  });
  const member = await store.groups.findMember(itwin.id, groupId);
  if (!member) throw errors.groupMemberNotFound();
  return member;
}
