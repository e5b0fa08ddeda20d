import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { requireOwner } from './owners-rule.js';

/**
 * Takes ownership away: a member that also holds roles stays a member with them, anyone else stops
 * being a member. Only owners may; the last owner cannot be removed (409 CannotRemoveLastOwner).
 */
export async function removeOwner(store: Store, caller: Caller, iTwinId: string, memberId: string): Promise<void> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'itwins_read');
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireOwner(tx, caller, itwin.id);
    const member = await tx.itwins.findMember(itwin.id, memberId);
    if (!member?.owner) throw errors.memberNotFound();
    if ((await tx.itwins.countOwners(itwin.id)) <= 1) throw errors.lastOwner();
    const roles = (await tx.itwins.rolesOfMembers(itwin.id, [memberId])).get(memberId) ?? [];
    if (roles.length > 0) await tx.itwins.setOwner(itwin.id, memberId, false);
    else await tx.itwins.removeMember(itwin.id, memberId);
  });
}
