import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid } from '../ids.js';
import type { Store } from '../store.js';
import { detail } from '../storage-connections/create-body.js';
import { unusableFileIds } from '../storage-connections/usable-files.js';
import { connectionOfSourceFiles } from './access.js';
import { parseSourceFileBody } from './body.js';
import type { SourceFile, SourceFileMapping } from './model.js';

/** Adds a storage file to a connection; a file already mapped in the iModel is a 409 (unique index). */
export async function addSourceFile(store: Store, caller: Caller, connectionId: string, body: unknown): Promise<SourceFile> {
  return store.write(async (tx) => {
    const connection = await connectionOfSourceFiles(tx, caller, connectionId, 'imodels_write');
    const input = parseSourceFileBody(body);
    if ((await unusableFileIds(tx, caller.subject, connection.iTwinId, [input.storageFileId])).length > 0) {
      throw errors.invalidSourceFileRequest([detail.invalidStorageFileId()]);
    }
    const mapping: SourceFileMapping = {
      id: newGuid(),
      connectionId: connection.id,
      iModelId: connection.iModelId,
      storageFileId: input.storageFileId,
      connectorType: input.connectorType,
      createdAt: nowIso(),
      ordinal: 0,
    };
    if (!(await tx.connections.addSourceFile(mapping))) throw errors.sourceFileMappingExists();
    return (await tx.connections.findSourceFile(connection.id, mapping.id))!;
  });
}
