import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../domain/errors.js';
import { parseByteRange } from './routes/checkpoints/byte-range.js';

/** A blob ready to be sent: its size, and its bytes (or a range of them) read on demand. */
export interface SendableBlob {
  size: number;
  /** Undefined when the blob went between the look and the read. */
  read(range?: { start: number; end: number }): Promise<Readable | undefined>;
}

export interface SendOptions {
  /** Offered as the name to save it under (Content-Disposition: attachment). */
  fileName?: string;
  /** Default application/octet-stream. */
  contentType?: string;
  /** Default `private, max-age=0`. */
  cacheControl?: string;
}

/**
 * Sends a blob, streamed, never buffered: the whole of it (200), the one range a `Range` header asks
 * for (206 with Content-Range), or 416 when the range starts past the end. What checkpoint files,
 * storage file content and exported models are answered with.
 */
export async function sendBlob(
  request: FastifyRequest,
  reply: FastifyReply,
  blob: SendableBlob,
  gone: () => ApiError,
  options: SendOptions = {},
): Promise<FastifyReply> {
  const { fileName, contentType = 'application/octet-stream', cacheControl = 'private, max-age=0' } = options;
  const header = request.headers.range;
  const range = parseByteRange(Array.isArray(header) ? header[0] : header, blob.size);
  reply.header('accept-ranges', 'bytes').header('cache-control', cacheControl);
  if (range === 'unsatisfiable') {
    reply.removeHeader('content-type');
    return reply.status(416).header('content-range', `bytes */${blob.size}`).send();
  }
  const { start, end } = range ?? { start: 0, end: blob.size - 1 };
  if (range) reply.status(206).header('content-range', `bytes ${start}-${end}/${blob.size}`);
  if (fileName) reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  reply.header('content-type', contentType).header('content-length', String(Math.max(0, end - start + 1)));
  if (blob.size === 0) return reply.send('');
  const body = await blob.read({ start, end });
  if (!body) throw gone();
  return reply.send(body);
}
