import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import { manifestSourceFileForCaller } from './source-file-access.js';

/** Removes a registered id; manifests naming it are refused from then on (what it brought in stays until unmapped first). */
export async function removeManifestSourceFile(store: Store, caller: Caller, connectionId: string, id: string): Promise<void> {
  await store.write(async (tx) => {
    const { connection, sourceFile } = await manifestSourceFileForCaller(tx, caller, connectionId, id, 'imodels_write');
    if (!(await tx.manifests.removeSourceFile(connection.id, sourceFile.id))) throw errors.manifestSourceFileNotFound();
  });
}
