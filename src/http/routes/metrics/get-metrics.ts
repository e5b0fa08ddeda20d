import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { MetricsConfig } from '../../../config.js';
import { errors } from '../../../domain/errors.js';
import type { Metrics } from '../../../metrics/metrics.js';
import type { App } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';
import { probeRoute } from '../health/probe-route.js';

/** Prometheus text exposition of the process's and this app's metrics; with METRICS_TOKEN, only for its bearer. */
export function getMetricsRoute(app: App, config: { metrics: MetricsConfig; logLevel: string }, metrics: Metrics): void {
  const token = config.metrics.token ? digest(config.metrics.token) : undefined;
  app.route({
    ...probeRoute(operations.getMetrics, config.logLevel),
    schema: {
      operationId: operations.getMetrics.id,
      tags: ['Operations'],
      summary: 'Prometheus metrics',
      ...(token ? { security: [{ bearer: [] }] } : {}),
      response: {
        200: { description: 'Prometheus text format 0.0.4.', content: { 'text/plain': { schema: { type: 'string' } } } },
        ...errorResponses(401),
      },
    },
    handler: async (request, reply) => {
      if (token) checkToken(request, token);
      const body = await metrics.scrape();
      return reply.header('cache-control', 'no-store').type(metrics.contentType).send(body);
    },
  });
}

function checkToken(request: FastifyRequest, expected: Buffer): void {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') throw errors.headerNotFound();
  if (!/^Bearer\b/i.test(header.trim())) throw errors.invalidAuthorizationScheme();
  const given = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1] ?? '';
  // Digests of equal length compared in constant time: the answer tells neither how many leading
  // characters were right nor how long the token is.
  if (!timingSafeEqual(digest(given), expected)) throw errors.invalidToken();
}

const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
