import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { grants, type Permission } from '../roles/permissions.js';
import type { Repositories } from '../store.js';
import type { ITwin } from './model.js';

/**
 * The iTwin `id` names, if the caller is a member with `permission`: unknown (or not a GUID at
 * all) is a 404 `iTwinNotFound`, existing but not theirs (or theirs without the permission) a 403.
 * Every operation on anything inside an iTwin goes through this rule.
 */
export async function itwinForMember(repos: Pick<Repositories, 'itwins'>, caller: Caller, id: string, permission: Permission = 'itwins_read'): Promise<ITwin> {
  if (!isGuid(id)) throw errors.iTwinNotFound();
  const itwin = await repos.itwins.find(canonicalGuid(id));
  if (!itwin) throw errors.iTwinNotFound();
  await requireMember(repos, caller, itwin.id, permission);
  return itwin;
}

/**
 * 403 `InsufficientPermissions` unless the caller is a member of the iTwin whose roles grant
 * `permission` (owners have all). One read: the member's row carries its permissions.
 */
export async function requireMember(
  repos: Pick<Repositories, 'itwins'>,
  caller: Pick<Caller, 'subject'>,
  itwinId: string,
  permission: Permission,
): Promise<void> {
  const access = await repos.itwins.accessOf(itwinId, caller.subject);
  if (!access || !grants(access, permission)) throw errors.insufficientPermissions();
}
