import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { requireMember } from '../itwins/access.js';
import type { Permission } from '../roles/permissions.js';

import type { Repositories } from '../store.js';
import type { IModel } from './model.js';

/** The iModel `id` names, if the caller is a member of its iTwin: otherwise 404 or 403. */
export async function imodelForMember(
  repos: Pick<Repositories, 'imodels' | 'itwins'>,
  caller: Caller,
  id: string,
  permission: Permission = 'imodels_read',
): Promise<IModel> {
  if (!isGuid(id)) throw errors.iModelNotFound();
  const imodel = await repos.imodels.find(canonicalGuid(id));
  if (!imodel) throw errors.iModelNotFound();
  await requireMember(repos, caller, imodel.iTwinId, permission);
  return imodel;
}
