import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import type { Role } from '../roles/model.js';
import type { Store } from '../store.js';

/** The iTwin's roles, in the order they were made; any member may see them. */
export async function listRoles(store: Store, caller: Caller, iTwinId: string): Promise<Role[]> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  return store.itwins.listRoles(itwin.id);
}

export async function getRole(store: Store, caller: Caller, iTwinId: string, roleId: string): Promise<Role> {
  const itwin = await itwinForMember(store, caller, iTwinId);
  const role = await store.itwins.findRole(itwin.id, roleId);
  if (!role) throw errors.roleNotFound();
  return role;
}
