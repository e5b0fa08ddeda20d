import type { BlobStore } from '../blob-store.js';
import type { Store } from '../store.js';
import type { UploadSigner } from './upload-signing.js';

/** What the Storage operations work with besides the store: content lives in the blob store. */
export interface StorageContext {
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly signer: UploadSigner;
  readonly uploadLimitBytes: number;
  /** BLOB_DOWNLOADS=redirect: downloads go to the object store's own signed URL where it has them. */
  readonly redirectDownloads: boolean;
}
