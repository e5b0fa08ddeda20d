import type { FastifyReply } from 'fastify';

/**
 * 204 (or 202/303) with no body and no Content-Type: itwin-cli returns early only when Content-Type is absent,
 * and would call response.json() on an empty body otherwise.
 */
export function noContent(reply: FastifyReply, status = 204): FastifyReply {
  reply.removeHeader('content-type');
  return reply.status(status).send();
}
