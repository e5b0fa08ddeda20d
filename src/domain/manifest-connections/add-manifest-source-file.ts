import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid } from '../ids.js';
import type { Store } from '../store.js';
import type { ManifestSourceFile } from './model.js';
import { connectionOfManifestSourceFiles } from './source-file-access.js';
import { parseManifestSourceFileBody } from './source-file-body.js';

/** Registers a source file id with the connection; one already registered in the iModel is a 409 (unique index). */
export async function addManifestSourceFile(store: Store, caller: Caller, connectionId: string, body: unknown): Promise<ManifestSourceFile> {
  return store.write(async (tx) => {
    const connection = await connectionOfManifestSourceFiles(tx, caller, connectionId, 'imodels_write');
    const sourceFileId = parseManifestSourceFileBody(body);
    const id = newGuid();
    const added = await tx.manifests.addSourceFile({
      id,
      connectionId: connection.id,
      iModelId: connection.iModelId,
      sourceFileId,
      createdAt: nowIso(),
      ordinal: 0,
    });
    if (!added) throw errors.sourceFileMappingExists();
    return { id, sourceFileId };
  });
}
