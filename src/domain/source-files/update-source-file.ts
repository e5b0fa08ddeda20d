import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import { detail } from '../storage-connections/create-body.js';
import { unusableFileIds } from '../storage-connections/usable-files.js';
import { sourceFileForCaller } from './access.js';
import { parseSourceFileBody } from './body.js';
import type { SourceFile } from './model.js';

/** Replaces both fields of a source file; pointing it at a file already mapped in the iModel is a 409. */
export async function updateSourceFile(store: Store, caller: Caller, connectionId: string, sourceFileId: string, body: unknown): Promise<SourceFile> {
  return store.write(async (tx) => {
    const { connection, sourceFile } = await sourceFileForCaller(tx, caller, connectionId, sourceFileId, 'imodels_write');
    const input = parseSourceFileBody(body);
    if ((await unusableFileIds(tx, caller.subject, connection.iTwinId, [input.storageFileId])).length > 0) {
      throw errors.invalidSourceFileRequest([detail.invalidStorageFileId()]);
    }
    if (!(await tx.connections.updateSourceFile(sourceFile.id, input))) throw errors.sourceFileMappingExists();
    return (await tx.connections.findSourceFile(connection.id, sourceFile.id))!;
  });
}
