import type { Kysely } from 'kysely';
import { isMember } from '../../store/repositories/itwins.js';
import { findConnection } from '../../store/repositories/storage-connections.js';
import type { Database, StorageConnectionRow } from '../../store/schema.js';
import type { Caller } from '../caller.js';
import { errors, type ApiError, type ErrorDetail } from '../errors.js';
import { isOpaqueId } from '../ids.js';

/**
 * The connection `id` names, if the caller may act on it: a malformed id is a 422 in the
 * operation's own error family, an unknown one a 404, one in an iTwin the caller is no member of a 403.
 */
export async function connectionForCaller(
  db: Kysely<Database>,
  caller: Caller,
  id: string,
  invalid: (details: ErrorDetail[]) => ApiError = errors.invalidStorageConnectionRequest,
): Promise<StorageConnectionRow> {
  if (!isOpaqueId(id)) {
    throw invalid([{ code: 'InvalidValue', message: 'Provided connectionId value is not valid.', target: 'connectionId' }]);
  }
  const connection = await findConnection(db, id);
  if (!connection) throw errors.storageConnectionNotFound();
  if (!(await isMember(db, connection.itwin_id, caller.subject))) throw errors.insufficientPermissions();
  return connection;
}
