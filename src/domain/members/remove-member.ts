import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';

/**
 * Removes a member (a member may also remove themselves). The last member cannot be removed, so an
 * iTwin is never left without anyone who can see or delete it; concurrent removals are ordered by
 * the iTwin's lock, so two of them cannot both remove "one of two".
 */
export async function removeMember(store: Store, caller: Caller, iTwinId: string, memberId: string): Promise<void> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'itwins_read');
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    // Members may leave; removing someone else needs administration_remove_member.
    if (memberId !== caller.subject) await requireMember(tx, caller, itwin.id, 'administration_remove_member');
    else await requireMember(tx, caller, itwin.id, 'itwins_read');
    const member = await tx.itwins.findMember(itwin.id, memberId);
    if (!member) throw errors.memberNotFound();
    if ((await tx.itwins.countMembers(itwin.id)) <= 1) throw errors.lastMember();
    if (member.owner && (await tx.itwins.countOwners(itwin.id)) <= 1) throw errors.lastOwner();
    await tx.itwins.removeMember(itwin.id, memberId);
  });
}
