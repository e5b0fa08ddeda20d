import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import type { ManifestSourceFile } from './model.js';
import { manifestSourceFileForCaller } from './source-file-access.js';
import { parseManifestSourceFileBody } from './source-file-body.js';

/**
 * Points a source file at another id. What the old id brought into the iModel stays until a manifest
 * unmaps it (the connection's synchronized files are keyed by id); 409 when the new id is registered already.
 */
export async function updateManifestSourceFile(store: Store, caller: Caller, connectionId: string, id: string, body: unknown): Promise<ManifestSourceFile> {
  return store.write(async (tx) => {
    const { connection, sourceFile } = await manifestSourceFileForCaller(tx, caller, connectionId, id, 'imodels_write');
    const sourceFileId = parseManifestSourceFileBody(body);
    if (sourceFileId === sourceFile.sourceFileId) return sourceFile;
    if (!(await tx.manifests.updateSourceFile(connection.id, sourceFile.id, sourceFileId))) throw errors.sourceFileMappingExists();
    return { id: sourceFile.id, sourceFileId };
  });
}
