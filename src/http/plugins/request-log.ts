import type { FastifyInstance } from 'fastify';
import { redactRequestUrl } from '../../logger.js';

/**
 * One line per request, when it completes, with the operation id and the calling client. The URL's
 * credentials (upload signatures, consent tickets, tokens) are redacted; headers are never logged.
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        op: request.routeOptions.config.operation?.id,
        method: request.method,
        url: redactRequestUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        client: request.caller?.clientId ?? request.caller?.subject,
      },
      'request completed',
    );
  });
}
