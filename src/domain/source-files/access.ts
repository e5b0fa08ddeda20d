import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { isGuid } from '../ids.js';
import type { Permission } from '../roles/permissions.js';
import type { Repositories } from '../store.js';
import { connectionForCaller } from '../storage-connections/access.js';
import type { StorageConnection } from '../storage-connections/model.js';
import type { SourceFile } from './model.js';

type Repos = Pick<Repositories, 'connections' | 'itwins'>;

export function connectionOfSourceFiles(
  repos: Repos,
  caller: Caller,
  connectionId: string,
  permission: Permission = 'imodels_read',
): Promise<StorageConnection> {
  return connectionForCaller(repos, caller, connectionId, permission, errors.invalidSourceFileRequest);
}

/** The source file of a connection the caller may act on; 422 for a malformed id, 404 for an unknown one. */
export async function sourceFileForCaller(
  repos: Repos,
  caller: Caller,
  connectionId: string,
  sourceFileId: string,
  permission: Permission = 'imodels_read',
): Promise<{ connection: StorageConnection; sourceFile: SourceFile }> {
  const connection = await connectionOfSourceFiles(repos, caller, connectionId, permission);
  if (!isGuid(sourceFileId)) {
    throw errors.invalidSourceFileRequest([{ code: 'InvalidValue', message: 'Provided sourceFileId value is not valid.', target: 'sourceFileId' }]);
  }
  const sourceFile = await repos.connections.findSourceFile(connection.id, sourceFileId.toLowerCase());
  if (!sourceFile) throw errors.sourceFileNotFound();
  return { connection, sourceFile };
}
