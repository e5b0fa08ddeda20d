// Apart from open-blob-store.ts: the configuration reads it at every start, and must not load the
// AWS SDK for that (a process without an object store never does).

/** S3's bucket names: 3 to 63 lower-case letters, digits, dots and dashes, a letter or digit at each end. */
const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/**
 * BLOB_STORE_URL: `s3://bucket` or `s3://bucket/some/prefix`. The prefix loses its slashes at the
 * ends and doubled ones inside; it may hold what the domain's keys do (letters, digits, / _ . -),
 * never a `.` or `..` segment.
 */
export function parseBlobStoreUrl(url: string): { bucket: string; prefix: string } {
  const match = S3_URL.exec(url.trim());
  if (!match) {
    throw new Error(
      `BLOB_STORE_URL must be s3://<bucket> or s3://<bucket>/<prefix>, the bucket 3 to 63 lower-case letters, digits, dots or dashes; got "${url}"`,
    );
  }
  const prefix = (match[2] ?? '').split('/').filter(Boolean).join('/');
  if (/[^A-Za-z0-9/_.-]/.test(prefix) || prefix.split('/').some((part) => part === '.' || part === '..')) {
    throw new Error(`BLOB_STORE_URL's prefix may hold only letters, digits and / _ . - (no . or .. segment); got "${match[2]}"`);
  }
  return { bucket: match[1]!, prefix };
}
