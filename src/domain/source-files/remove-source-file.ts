import { deleteSourceFile } from '../../store/repositories/storage-connections.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { sourceFileForCaller } from './access.js';

/** The storage file may be mapped again afterwards. */
export async function removeSourceFile(store: Store, caller: Caller, connectionId: string, sourceFileId: string): Promise<void> {
  await store.writeSql(async (trx) => {
    const { connection, sourceFile } = await sourceFileForCaller(trx, caller, connectionId, sourceFileId);
    await deleteSourceFile(trx, connection.id, sourceFile.id);
  });
}
