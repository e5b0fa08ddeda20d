import type { BlobStore } from '../blob-store.js';
import type { UploadSigner } from '../storage/upload-signing.js';
import type { Store } from '../store.js';
import { REPORT_GRANT } from './model.js';

export interface ReportsOptions {
  /** Downloads answered by a redirect to the blob store's own signed URL where it has them (BLOB_DOWNLOADS). */
  redirectDownloads: boolean;
}

/** A signed URL's query: the grant to download one report until `expires` (Unix seconds). */
export interface ReportGrant {
  expires: number;
  signature: string;
}

/**
 * What the report operations share: the store, the blobs, and the deployment's signer, whose grants
 * any process of the deployment verifies (the same key and lifetime as upload and checkpoint URLs,
 * UPLOAD_URL_TTL_SECONDS). Made once per app.
 */
export class Reports {
  constructor(
    readonly store: Store,
    readonly blobs: BlobStore,
    readonly signer: UploadSigner,
    readonly options: ReportsOptions,
  ) {}

  grant(iModelId: string, reportId: string, nowMs = Date.now()): ReportGrant {
    const expires = Math.floor(nowMs / 1000) + this.signer.ttlSeconds;
    return { expires, signature: this.signer.signGrant(REPORT_GRANT, [iModelId, reportId], expires) };
  }
}
