import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { canonicalGuid, isGuid } from '../ids.js';
import { imodelForMember } from '../imodels/access.js';
import type { IModel } from '../imodels/model.js';
import type { Permission } from '../roles/permissions.js';
import type { Repositories } from '../store.js';
import type { TrackedIModel } from './query.js';

/**
 * The iModel a Changed Elements request names, under the iModels API's rule (a member of its
 * iTwin sees it; 404 or 403 otherwise). An iTwin id that is not the iModel's is a 404 of the
 * iModel: it is not in that iTwin. Reading needs `imodels_read`; enabling or disabling tracking
 * changes how the iModel is served, `imodels_write`.
 */
export async function trackedIModel(
  repos: Pick<Repositories, 'imodels' | 'itwins'>,
  caller: Caller,
  named: TrackedIModel,
  permission: Permission = 'imodels_read',
): Promise<IModel> {
  const imodel = await imodelForMember(repos, caller, named.iModelId, permission);
  if (named.iTwinId !== undefined && (!isGuid(named.iTwinId) || canonicalGuid(named.iTwinId) !== imodel.iTwinId)) throw errors.iModelNotFound();
  return imodel;
}
