import type { Caller } from '../caller.js';
import { errors, type ApiError, type ErrorDetail } from '../errors.js';
import { isOpaqueId } from '../ids.js';
import { requireMember } from '../itwins/access.js';
import type { Permission } from '../roles/permissions.js';
import type { Repositories } from '../store.js';
import type { StorageConnection } from '../storage-connections/model.js';

/**
 * The manifest connection `id` names, if the caller may act on it: a malformed id is a 422 in the
 * operation's own error family, an unknown one (or a storage connection's) a 404, one in an iTwin
 * the caller is no member of a 403. The same rule as storage connections'.
 */
export async function manifestConnectionForCaller(
  repos: Pick<Repositories, 'connections' | 'itwins'>,
  caller: Caller,
  id: string,
  permission: Permission = 'imodels_read',
  invalid: (details: ErrorDetail[]) => ApiError = errors.invalidManifestConnectionRequest,
): Promise<StorageConnection> {
  if (!isOpaqueId(id)) {
    throw invalid([{ code: 'InvalidValue', message: 'Provided connectionId value is not valid.', target: 'connectionId' }]);
  }
  const connection = await repos.connections.find(id);
  if (!connection || connection.kind !== 'manifest') throw errors.manifestConnectionNotFound();
  await requireMember(repos, caller, connection.iTwinId, permission);
  return connection;
}
