import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';

/** CopyObject copies at most 5 GiB; a larger object is copied part by part (UploadPartCopy). */
export const COPY_OBJECT_LIMIT = 5 * 1024 ** 3;

/** Parts of a large copy: 1 GiB (well under UploadPartCopy's 5 GiB, and 5 TB in under 10,000 parts). */
const COPY_PART_SIZE = 1024 ** 3;

/** Parts copied at once: the bytes move inside the store, so a few in parallel cost this process nothing. */
const COPY_PARTS_AT_ONCE = 4;

/** `bucket/key` as CopySource wants it: URL-encoded, the key's slashes kept. */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Copies `from` (of `size` bytes) onto `to` inside one bucket, without the bytes passing through
 * this process. Up to 5 GiB in one CopyObject; above, a multipart upload whose parts are ranges
 * of the source, aborted when any part fails so that nothing half-copied stays billed or visible.
 * Either way the target is replaced only when the copy is whole.
 */
export async function copyObject(client: S3Client, bucket: string, from: string, to: string, size: number): Promise<void> {
  if (size <= COPY_OBJECT_LIMIT) {
    await client.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: copySource(bucket, from) }));
    return;
  }
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: to }));
  try {
    const ranges: { part: number; start: number; end: number }[] = [];
    for (let start = 0, part = 1; start < size; start += COPY_PART_SIZE, part++) {
      ranges.push({ part, start, end: Math.min(start + COPY_PART_SIZE, size) - 1 });
    }
    const parts: { PartNumber: number; ETag: string }[] = [];
    let next = 0;
    const copier = async () => {
      while (next < ranges.length) {
        const range = ranges[next++]!;
        const answer = await client.send(
          new UploadPartCopyCommand({
            Bucket: bucket,
            Key: to,
            UploadId,
            PartNumber: range.part,
            CopySource: copySource(bucket, from),
            CopySourceRange: `bytes=${range.start}-${range.end}`,
          }),
        );
        parts.push({ PartNumber: range.part, ETag: answer.CopyPartResult?.ETag ?? '' });
      }
    };
    // The first failure stops the others from starting parts (the upload is aborted below).
    const stopOnFailure = () => copier().catch((error: unknown) => ((next = ranges.length), Promise.reject(error)));
    await Promise.all(Array.from({ length: COPY_PARTS_AT_ONCE }, stopOnFailure));
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId, MultipartUpload: { Parts: parts } }));
  } catch (error) {
    // The copy's own failure is what the caller needs; an abort that fails too is left to sweep.
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: to, UploadId })).catch(() => undefined);
    throw error;
  }
}
