import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';

/**
 * Removes a user member: its roles go; an owner stays an owner (owners are removed through
 * /members/owners), anyone else stops being a member. Members may remove themselves; the last
 * member cannot be removed.
 */
export async function removeUserMember(store: Store, caller: Caller, iTwinId: string, memberId: string): Promise<void> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'itwins_read');
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, memberId === caller.subject ? 'itwins_read' : 'administration_remove_member');
    const member = await tx.itwins.findMember(itwin.id, memberId);
    if (!member) throw errors.memberNotFound();
    if (member.owner) {
      const roles = (await tx.itwins.rolesOfMembers(itwin.id, [memberId])).get(memberId) ?? [];
      if (roles.length === 0) throw errors.memberNotFound();
      await tx.itwins.setMemberRoles(itwin.id, memberId, []);
      return;
    }
    if ((await tx.itwins.countMembers(itwin.id)) <= 1) throw errors.lastMember();
    await tx.itwins.removeMember(itwin.id, memberId);
  });
}
