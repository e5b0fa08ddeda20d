import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import { sourceFileForCaller } from './access.js';
import type { SourceFile } from './model.js';

export async function getSourceFile(store: Store, caller: Caller, connectionId: string, sourceFileId: string): Promise<SourceFile> {
  return (await sourceFileForCaller(store, caller, connectionId, sourceFileId)).sourceFile;
}
