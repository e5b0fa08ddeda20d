import type { Caller } from '../caller.js';
import type { Store } from '../store.js';
import type { ManifestSourceFile } from './model.js';
import { manifestSourceFileForCaller } from './source-file-access.js';

export async function getManifestSourceFile(store: Store, caller: Caller, connectionId: string, id: string): Promise<ManifestSourceFile> {
  return (await manifestSourceFileForCaller(store, caller, connectionId, id)).sourceFile;
}
