import type { BlobStore } from '../domain/blob-store.js';
import { StartError } from '../start-errors.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore, type S3Settings } from './s3-blob-store.js';
import { codeOf, statusOf } from './s3-errors.js';

export { parseBlobStoreUrl } from './blob-store-url.js';

/** The object store when it is configured, the folder DATA_DIR otherwise (the embedded default). */
export function openBlobStore(settings: S3Settings | undefined, dataDir: string): BlobStore {
  return settings ? new S3BlobStore(settings) : new LocalBlobStore(dataDir);
}

/**
 * At start, before anything is served: whether the blob store can be used. A folder always can
 * (it is made on first write). An object store's bucket is asked for (HEAD) so that a wrong
 * endpoint, bucket, region or key is one line naming what to change, not a failure at the first
 * upload. Answers what the store cannot do, for the start's log.
 */
export async function checkBlobStore(store: BlobStore): Promise<{ warnings: string[] }> {
  if (!(store instanceof S3BlobStore)) return { warnings: [] };
  try {
    return await store.check();
  } catch (error) {
    const { setting, reason, advice } = explain(error);
    throw new StartError(setting, `cannot use the object store ${store.description}: ${reason}`, advice);
  }
}

function explain(error: unknown): { setting: string; reason: string; advice: string } {
  const status = statusOf(error);
  const code = codeOf(error);
  const cause = (error as { code?: string; message?: string }).code;
  if (cause === 'ECONNREFUSED')
    return {
      setting: 'S3_ENDPOINT',
      reason: 'connection refused (nothing listens there)',
      advice: 'start the object store, or set S3_ENDPOINT to where it runs',
    };
  if (cause === 'ENOTFOUND' || cause === 'EAI_AGAIN')
    return { setting: 'S3_ENDPOINT', reason: 'host not found', advice: 'set S3_ENDPOINT to a host name this machine resolves' };
  if (code === 'TimeoutError' || code === 'AbortError')
    return { setting: 'S3_ENDPOINT', reason: 'no answer within 10 s', advice: 'check S3_ENDPOINT and that this machine may reach it' };
  if (code === 'CredentialsProviderError') {
    return {
      setting: 'S3_ACCESS_KEY_ID',
      reason: 'no credentials found',
      advice: 'set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or the AWS SDK’s own AWS_* variables or role)',
    };
  }
  if (status === 404)
    return { setting: 'BLOB_STORE_URL', reason: 'the bucket does not exist', advice: 'create the bucket, or name an existing one in BLOB_STORE_URL' };
  if (status === 403) {
    return {
      setting: 'S3_ACCESS_KEY_ID',
      reason: 'access denied (the key is refused or may not use this bucket)',
      advice: 'give S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY of a user allowed to read, write, list and delete in the bucket',
    };
  }
  if (status === 301 || code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed') {
    return { setting: 'S3_REGION', reason: 'the bucket is in another region', advice: 'set S3_REGION to the bucket’s region' };
  }
  const message = ((error as { message?: string }).message ?? String(error)).split('\n')[0];
  return {
    setting: 'BLOB_STORE_URL',
    reason: `${code ?? 'error'}${status ? ` (HTTP ${status})` : ''}: ${message}`,
    advice: 'check BLOB_STORE_URL, S3_ENDPOINT, S3_REGION and the S3 credentials',
  };
}
