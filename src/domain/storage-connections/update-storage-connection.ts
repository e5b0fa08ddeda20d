import type { Caller } from '../caller.js';
import { errors, type ApiError, type ErrorDetail } from '../errors.js';
import { isPlainObject, MalformedBody } from '../request-body.js';
import type { Store } from '../store.js';
import { connectionForCaller } from './access.js';
import { detail, parseAuthenticationTypeField, parseDisplayName } from './create-body.js';
import type { StorageConnection } from './model.js';

type Changes = Partial<Pick<StorageConnection, 'displayName' | 'authenticationType'>>;

/**
 * Partial update: only `displayName` and `authenticationType` change, and only those sent; the
 * iModel and iTwin never change (a body naming them is not an error, they are ignored).
 */
export async function updateStorageConnection(store: Store, caller: Caller, id: string, body: unknown): Promise<StorageConnection> {
  return store.write(async (tx) => {
    const connection = await connectionForCaller(tx, caller, id, 'imodels_write');
    const changes = parseConnectionUpdate(body);
    await tx.connections.update(connection.id, changes);
    return { ...connection, ...changes };
  });
}

/** The update body of any kind of connection; `invalid` makes the 422 of the operation's own family. */
export function parseConnectionUpdate(body: unknown, invalid: (details: ErrorDetail[]) => ApiError = errors.invalidStorageConnectionRequest): Changes {
  if (body === undefined) {
    throw errors.missingRequestBody([detail.invalidRequestBody('A request body with displayName or authenticationType is required.')]);
  }
  if (body instanceof MalformedBody) throw invalid([detail.invalidRequestBody(body.reason)]);
  if (!isPlainObject(body)) {
    throw invalid([detail.invalidRequestBody('The request body must be a JSON object.')]);
  }
  const details: ErrorDetail[] = [];
  const changes: Changes = {};
  const displayName = parseDisplayName(body, details);
  if (displayName !== undefined) changes.displayName = displayName;
  const authenticationType = parseAuthenticationTypeField(body, details);
  if (authenticationType !== undefined) changes.authenticationType = authenticationType;
  if (details.length === 0 && Object.keys(changes).length === 0) {
    details.push({
      code: 'MissingRequiredProperty',
      message: 'A property required to create or update a connection is missing: send displayName or authenticationType.',
      target: 'displayName',
    });
  }
  if (details.length > 0) throw invalid(details);
  return changes;
}
