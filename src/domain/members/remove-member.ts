import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import type { Store } from '../store.js';

/**
 * Removes a member (a member may also remove themselves). The last member cannot be removed, so an
 * iTwin is never left without anyone who can see or delete it; concurrent removals are ordered by
 * the iTwin's lock, so two of them cannot both remove "one of two".
 */
export async function removeMember(store: Store, caller: Caller, iTwinId: string, memberId: string): Promise<void> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    if (!(await tx.itwins.isMember(itwin.id, caller.subject))) throw errors.insufficientPermissions();
    if (!(await tx.itwins.findMember(itwin.id, memberId))) throw errors.memberNotFound();
    if ((await tx.itwins.countMembers(itwin.id)) <= 1) throw errors.lastMember();
    await tx.itwins.removeMember(itwin.id, memberId);
  });
}
