import { findSourceFile, updateSourceFile as updateRow } from '../../store/repositories/storage-connections.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { detail } from '../storage-connections/create-body.js';
import { unusableFileIds } from '../storage-connections/usable-files.js';
import { sourceFileForCaller } from './access.js';
import { parseSourceFileBody } from './body.js';
import { sourceFileFromRow, type SourceFile } from './model.js';

/** Replaces both fields of a source file; pointing it at a file already mapped in the iModel is a 409. */
export async function updateSourceFile(
  store: Store,
  caller: Caller,
  connectionId: string,
  sourceFileId: string,
  body: unknown,
): Promise<SourceFile> {
  return store.writeSql(async (trx) => {
    const { connection, sourceFile } = await sourceFileForCaller(trx, caller, connectionId, sourceFileId);
    const input = parseSourceFileBody(body);
    if ((await unusableFileIds(trx, caller.subject, connection.itwin_id, [input.storageFileId])).length > 0) {
      throw errors.invalidSourceFileRequest([detail.invalidStorageFileId()]);
    }
    try {
      await updateRow(trx, sourceFile.id, { storage_file_id: input.storageFileId, connector_type: input.connectorType });
    } catch (error) {
      if (store.dialect.isUniqueViolation(error)) throw errors.sourceFileMappingExists();
      throw error;
    }
    return sourceFileFromRow((await findSourceFile(trx, connection.id, sourceFile.id))!);
  });
}
