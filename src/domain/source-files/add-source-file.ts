import { findSourceFile, insertSourceFile } from '../../store/repositories/storage-connections.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid } from '../ids.js';
import { detail } from '../storage-connections/create-body.js';
import { unusableFileIds } from '../storage-connections/usable-files.js';
import { connectionOfSourceFiles } from './access.js';
import { parseSourceFileBody } from './body.js';
import { sourceFileFromRow, type SourceFile } from './model.js';

/** Adds a storage file to a connection; a file already mapped in the iModel is a 409 (unique index). */
export async function addSourceFile(store: Store, caller: Caller, connectionId: string, body: unknown): Promise<SourceFile> {
  return store.writeSql(async (trx) => {
    const connection = await connectionOfSourceFiles(trx, caller, connectionId);
    const input = parseSourceFileBody(body);
    if ((await unusableFileIds(trx, caller.subject, connection.itwin_id, [input.storageFileId])).length > 0) {
      throw errors.invalidSourceFileRequest([detail.invalidStorageFileId()]);
    }
    const row = {
      id: newGuid(),
      connection_id: connection.id,
      imodel_id: connection.imodel_id,
      storage_file_id: input.storageFileId,
      connector_type: input.connectorType,
      created_at: nowIso(),
    };
    try {
      await insertSourceFile(trx, row);
    } catch (error) {
      if (store.dialect.isUniqueViolation(error)) throw errors.sourceFileMappingExists();
      throw error;
    }
    return sourceFileFromRow((await findSourceFile(trx, connection.id, row.id))!);
  });
}
