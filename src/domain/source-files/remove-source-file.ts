import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { sourceFileForCaller } from './access.js';

/** The storage file may be mapped again afterwards. */
export async function removeSourceFile(store: Store, caller: Caller, connectionId: string, sourceFileId: string): Promise<void> {
  await store.write(async (tx) => {
    const { connection, sourceFile } = await sourceFileForCaller(tx, caller, connectionId, sourceFileId, 'imodels_write');
    await tx.connections.removeSourceFile(connection.id, sourceFile.id);
  });
}
