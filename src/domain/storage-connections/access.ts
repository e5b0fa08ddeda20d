import type { Caller } from '../caller.js';
import { errors, type ApiError, type ErrorDetail } from '../errors.js';
import { isOpaqueId } from '../ids.js';
import { requireMember } from '../itwins/access.js';
import type { Permission } from '../roles/permissions.js';

import type { Repositories } from '../store.js';
import type { StorageConnection } from './model.js';

/**
 * The connection `id` names, if the caller may act on it: a malformed id is a 422 in the
 * operation's own error family, an unknown one a 404, one in an iTwin the caller is no member of a 403.
 */
export async function connectionForCaller(
  repos: Pick<Repositories, 'connections' | 'itwins'>,
  caller: Caller,
  id: string,
  permission: Permission = 'imodels_read',
  invalid: (details: ErrorDetail[]) => ApiError = errors.invalidStorageConnectionRequest,
): Promise<StorageConnection> {
  if (!isOpaqueId(id)) {
    throw invalid([{ code: 'InvalidValue', message: 'Provided connectionId value is not valid.', target: 'connectionId' }]);
  }
  const connection = await repos.connections.find(id);
  // A manifest connection is not a storage connection (docs/manifest-connections.md).
  if (!connection || connection.kind !== 'storage') throw errors.storageConnectionNotFound();
  await requireMember(repos, caller, connection.iTwinId, permission);
  return connection;
}
