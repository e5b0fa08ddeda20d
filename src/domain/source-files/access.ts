import type { Kysely } from 'kysely';
import { findSourceFile, type SourceFileWithName } from '../../store/repositories/storage-connections.js';
import type { Database, StorageConnectionRow } from '../../store/schema.js';
import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { isGuid } from '../ids.js';
import { connectionForCaller } from '../storage-connections/access.js';

export function connectionOfSourceFiles(db: Kysely<Database>, caller: Caller, connectionId: string): Promise<StorageConnectionRow> {
  return connectionForCaller(db, caller, connectionId, errors.invalidSourceFileRequest);
}

/** The source file of a connection the caller may act on; 422 for a malformed id, 404 for an unknown one. */
export async function sourceFileForCaller(
  db: Kysely<Database>,
  caller: Caller,
  connectionId: string,
  sourceFileId: string,
): Promise<{ connection: StorageConnectionRow; sourceFile: SourceFileWithName }> {
  const connection = await connectionOfSourceFiles(db, caller, connectionId);
  if (!isGuid(sourceFileId)) {
    throw errors.invalidSourceFileRequest([
      { code: 'InvalidValue', message: 'Provided sourceFileId value is not valid.', target: 'sourceFileId' },
    ]);
  }
  const sourceFile = await findSourceFile(db, connection.id, sourceFileId.toLowerCase());
  if (!sourceFile) throw errors.sourceFileNotFound();
  return { connection, sourceFile };
}
