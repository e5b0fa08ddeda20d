import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { isGuid } from '../ids.js';
import type { Permission } from '../roles/permissions.js';
import type { Repositories } from '../store.js';
import type { StorageConnection } from '../storage-connections/model.js';
import { manifestConnectionForCaller } from './access.js';
import type { ManifestSourceFile } from './model.js';

type Repos = Pick<Repositories, 'connections' | 'itwins' | 'manifests'>;

export function connectionOfManifestSourceFiles(
  repos: Repos,
  caller: Caller,
  connectionId: string,
  permission: Permission = 'imodels_read',
): Promise<StorageConnection> {
  return manifestConnectionForCaller(repos, caller, connectionId, permission, errors.invalidManifestSourceFileRequest);
}

/** The source file of a manifest connection the caller may act on; 422 for a malformed id, 404 for an unknown one. */
export async function manifestSourceFileForCaller(
  repos: Repos,
  caller: Caller,
  connectionId: string,
  id: string,
  permission: Permission = 'imodels_read',
): Promise<{ connection: StorageConnection; sourceFile: ManifestSourceFile }> {
  const connection = await connectionOfManifestSourceFiles(repos, caller, connectionId, permission);
  if (!isGuid(id)) {
    throw errors.invalidManifestSourceFileRequest([{ code: 'InvalidValue', message: 'Provided sourceFileId value is not valid.', target: 'sourceFileId' }]);
  }
  const sourceFile = await repos.manifests.findSourceFile(connection.id, id.toLowerCase());
  if (!sourceFile) throw errors.manifestSourceFileNotFound();
  return { connection, sourceFile };
}
