import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { sourceFileForCaller } from './access.js';
import { sourceFileFromRow, type SourceFile } from './model.js';

export async function getSourceFile(store: Store, caller: Caller, connectionId: string, sourceFileId: string): Promise<SourceFile> {
  return sourceFileFromRow((await sourceFileForCaller(store.db, caller, connectionId, sourceFileId)).sourceFile);
}
