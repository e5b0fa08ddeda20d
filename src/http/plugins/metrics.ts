import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../metrics/metrics.js';

/**
 * Counts every answered request by operation id (from the operations table; `none` for routes
 * that do not exist, so that unknown URLs cannot make new series) and status, and observes its
 * latency. A callback hook: no promise per request on the hot path.
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    metrics.requestDone(request.routeOptions.config.operation?.id ?? 'none', request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
