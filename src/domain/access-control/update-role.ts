import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Role } from '../roles/model.js';
import type { Store } from '../store.js';
import { parseRoleUpdate } from './role-body.js';

/** Renames, redescribes or gives new permissions to a role; its holders' permissions change in the same transaction. */
export async function updateRole(store: Store, caller: Caller, iTwinId: string, roleId: string, body: unknown): Promise<Role> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_manage_roles');
  const changes = parseRoleUpdate(body);
  return store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_manage_roles');
    const role = await tx.itwins.findRole(itwin.id, roleId);
    if (!role) throw errors.roleNotFound();
    const updated: Role = { ...role, ...changes };
    if (changes.displayName !== undefined && (await tx.itwins.roleNameTaken(itwin.id, changes.displayName, role.id))) {
      throw errors.roleAlreadyExists(changes.displayName);
    }
    await tx.itwins.updateRole(updated);
    return updated;
  });
}
