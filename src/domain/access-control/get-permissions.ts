import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { PERMISSIONS, permissionsOf, type Permission } from '../roles/permissions.js';
import type { Store } from '../store.js';

/** Every permission a role may grant. */
export function allPermissions(): Permission[] {
  return [...PERMISSIONS];
}

/** The caller's permissions in an iTwin (owners: all). A member without any gets an empty list; a non-member 403. */
export async function myPermissions(store: Store, caller: Caller, iTwinId: string): Promise<Permission[]> {
  if (!isGuid(iTwinId)) throw errors.iTwinNotFound();
  const itwin = await store.itwins.find(canonicalGuid(iTwinId));
  if (!itwin) throw errors.iTwinNotFound();
  const access = await store.itwins.accessOf(itwin.id, caller.subject);
  if (!access) throw errors.insufficientPermissions();
  return permissionsOf(access);
}
