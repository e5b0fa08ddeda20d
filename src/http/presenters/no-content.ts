import type { FastifyReply } from 'fastify';

/**
 * 204 with no body and no Content-Type: itwin-cli returns early only when Content-Type is absent,
 * and would call response.json() on an empty body otherwise.
 */
export function noContent(reply: FastifyReply): FastifyReply {
  reply.removeHeader('content-type');
  return reply.status(204).send();
}
