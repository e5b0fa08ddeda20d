import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';

/** Deletes a group: it stops being a member, and its users lose what only it gave them, at once. */
export async function deleteGroup(store: Store, caller: Caller, iTwinId: string, groupId: string): Promise<void> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_manage_groups');
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_manage_groups');
    if (!(await tx.groups.find(itwin.id, groupId))) throw errors.groupNotFound();
    await tx.groups.delete(itwin.id, groupId);
  });
}
