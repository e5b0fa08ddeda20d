import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ExportedFile } from '../../../domain/model-view/model-exports.js';
import { errors } from '../../../domain/errors.js';
import { sendBlob } from '../../send-blob.js';

/**
 * Sends an exported file as it is kept in the blob store (streamed, ranges allowed), with an ETag:
 * what a version's checkpoint exports never changes, so a browser revalidates (no-cache) and gets
 * 304 without a byte of the body when it has it already.
 */
export async function sendExported(request: FastifyRequest, reply: FastifyReply, file: ExportedFile, contentType: string): Promise<FastifyReply> {
  reply.header('etag', file.etag);
  const known = request.headers['if-none-match'];
  if (known && known.split(',').some((tag) => tag.trim() === file.etag || tag.trim() === '*')) {
    return reply.status(304).header('cache-control', 'private, no-cache').send();
  }
  return sendBlob(request, reply, file, () => errors.checkpointNotFound(), { contentType, cacheControl: 'private, no-cache' });
}
