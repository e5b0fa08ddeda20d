import type { Store } from '../store.js';
import type { UploadSigner } from './upload-signing.js';

/** What the Storage operations work with besides the store: content lives on disk in DATA_DIR. */
export interface StorageContext {
  readonly store: Store;
  readonly dataDir: string;
  readonly signer: UploadSigner;
  readonly uploadLimitBytes: number;
}
