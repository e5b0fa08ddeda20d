import { updateConnection } from '../../store/repositories/storage-connections.js';
import type { StorageConnectionRow } from '../../store/schema.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { isPlainObject, MalformedBody } from '../request-body.js';
import { connectionForCaller } from './access.js';
import { detail, parseAuthenticationTypeField, parseDisplayName } from './create-body.js';
import { connectionFromRow, type StorageConnection } from './model.js';

type Changes = Partial<Pick<StorageConnectionRow, 'display_name' | 'authentication_type'>>;

/**
 * Partial update: only `displayName` and `authenticationType` change, and only those sent; the
 * iModel and iTwin never change (a body naming them is not an error, they are ignored).
 */
export async function updateStorageConnection(store: Store, caller: Caller, id: string, body: unknown): Promise<StorageConnection> {
  return store.writeSql(async (trx) => {
    const connection = await connectionForCaller(trx, caller, id);
    const changes = parseUpdate(body);
    await updateConnection(trx, connection.id, changes);
    return connectionFromRow({ ...connection, ...changes });
  });
}

function parseUpdate(body: unknown): Changes {
  if (body === undefined) {
    throw errors.missingRequestBody([detail.invalidRequestBody('A request body with displayName or authenticationType is required.')]);
  }
  if (body instanceof MalformedBody) throw errors.invalidStorageConnectionRequest([detail.invalidRequestBody(body.reason)]);
  if (!isPlainObject(body)) {
    throw errors.invalidStorageConnectionRequest([detail.invalidRequestBody('The request body must be a JSON object.')]);
  }
  const details: ErrorDetail[] = [];
  const changes: Changes = {};
  const displayName = parseDisplayName(body, details);
  if (displayName !== undefined) changes.display_name = displayName;
  const authenticationType = parseAuthenticationTypeField(body, details);
  if (authenticationType !== undefined) changes.authentication_type = authenticationType;
  if (details.length === 0 && Object.keys(changes).length === 0) {
    details.push({
      code: 'MissingRequiredProperty',
      message: 'A property required to create or update a connection is missing: send displayName or authenticationType.',
      target: 'displayName',
    });
  }
  if (details.length > 0) throw errors.invalidStorageConnectionRequest(details);
  return changes;
}
