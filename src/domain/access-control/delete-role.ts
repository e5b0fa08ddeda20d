import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';

/** Deletes a role: its holders lose it and its permissions, in the same transaction. */
export async function deleteRole(store: Store, caller: Caller, iTwinId: string, roleId: string): Promise<void> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_manage_roles');
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_manage_roles');
    if (!(await tx.itwins.findRole(itwin.id, roleId))) throw errors.roleNotFound();
    await tx.itwins.deleteRole(itwin.id, roleId);
  });
}
