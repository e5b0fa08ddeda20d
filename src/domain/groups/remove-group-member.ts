import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';

/** The group stops being a member (the group itself stays); its users lose what only it gave them. */
export async function removeGroupMember(store: Store, caller: Caller, iTwinId: string, groupId: string): Promise<void> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_remove_member');
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_remove_member');
    if (!(await tx.groups.removeMember(itwin.id, groupId))) throw errors.groupMemberNotFound();
  });
}
