import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid } from '../ids.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Role } from '../roles/model.js';
import type { Store } from '../store.js';
import { parseNewRole } from './role-body.js';

/** A new role, without permissions until an update gives it some. Names are unique per iTwin (409). */
export async function createRole(store: Store, caller: Caller, iTwinId: string, body: unknown): Promise<Role> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_manage_roles');
  const { displayName, description } = parseNewRole(body);
  const role: Role = { id: newGuid(), iTwinId: itwin.id, displayName, description, permissions: [], createdAt: nowIso() };
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_manage_roles');
    if (await tx.itwins.roleNameTaken(itwin.id, displayName)) throw errors.roleAlreadyExists(displayName);
    await tx.itwins.insertRole(role);
  });
  return role;
}
