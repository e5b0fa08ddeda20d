import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import type { Role } from '../roles/model.js';
import type { Store } from '../store.js';

/**
 * The iTwin's roles, in the order they were made. Reading them needs `administration_manage_roles`,
 * as the platform documents (owners have it); a member sees its own roles in its membership.
 */
export async function listRoles(store: Store, caller: Caller, iTwinId: string): Promise<Role[]> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_manage_roles');
  return store.itwins.listRoles(itwin.id);
}

export async function getRole(store: Store, caller: Caller, iTwinId: string, roleId: string): Promise<Role> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_manage_roles');
  const role = await store.itwins.findRole(itwin.id, roleId);
  if (!role) throw errors.roleNotFound();
  return role;
}
