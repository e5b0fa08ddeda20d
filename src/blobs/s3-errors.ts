/** What the AWS SDK tells about a failed request: the store's error code as `name`, its HTTP status. */
interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The HTTP status of an SDK error; undefined for one that never got an answer (refused, timed out). */
export function statusOf(error: unknown): number | undefined {
  return (error as SdkError | null)?.$metadata?.httpStatusCode;
}

/** The store's error code (`NoSuchKey`, `AccessDenied`, …), or the SDK's error name when no answer came. */
export function codeOf(error: unknown): string | undefined {
  return (error as SdkError | null)?.name;
}

/** No such object: GET answers NoSuchKey, HEAD a bare 404 (no body, so the SDK names it NotFound). */
export function isMissing(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'NoSuchKey' || code === 'NotFound' || (statusOf(error) === 404 && code !== 'NoSuchBucket');
}

/** A call the store does not implement (s3rver: ListMultipartUploads, AbortMultipartUpload, UploadPartCopy). */
export function isNotImplemented(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'NotImplemented' || code === 'MethodNotAllowed' || statusOf(error) === 501 || statusOf(error) === 405;
}

/**
 * Codes that mean "this store is full". AWS S3 itself has none (a bucket has no size limit);
 * S3-compatible stores do: MinIO answers 507 XMinioStorageFull below its free-space threshold, Ceph
 * RGW 403 QuotaExceeded past a user's or bucket's quota. HTTP 507 (Insufficient Storage) is taken
 * whatever the code says. Anything else (EntityTooLarge is a per-object limit, not a full store)
 * stays what it is.
 */
const FULL_CODES = new Set(['XMinioStorageFull', 'QuotaExceeded']);

/**
 * An error whose `code` is `ENOSPC` when `error` says the store is full, so that the service
 * answers 507 as it does for a full disk (isStoreFull); `error` itself otherwise.
 */
export function storeError(error: unknown): unknown {
  const code = codeOf(error);
  if (statusOf(error) !== 507 && !(code !== undefined && FULL_CODES.has(code))) return error;
  return Object.assign(new Error(`the object store is full (${code}): ${(error as SdkError).message ?? ''}`, { cause: error }), { code: 'ENOSPC' });
}
