import type { FastifyInstance } from 'fastify';

/** One line per request, when it completes, with the operation id and the calling client. */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        op: request.routeOptions.config.operation?.id,
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        client: request.caller?.clientId ?? request.caller?.subject,
      },
      'request completed',
    );
  });
}
