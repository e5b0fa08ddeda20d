import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { RateLimitConfig } from '../../config.js';
import { errors } from '../../domain/errors.js';

/**
 * Per OAuth client (`client_id`/`azp` of a verified token), else per `sub`, else per IP. It runs
 * after the authenticate plugin has identified the caller, so a forged token cannot pick its bucket.
 * In-memory counters here; Redis-backed counters arrive with scale-out.
 */
export async function registerRateLimit(app: FastifyInstance, config: RateLimitConfig): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: config.max,
    timeWindow: config.windowMs,
    keyGenerator: (request) => {
      const caller = request.caller;
      if (caller?.clientId) return `client:${caller.clientId}`;
      if (caller) return `sub:${caller.subject}`;
      return `ip:${request.ip}`;
    },
    errorResponseBuilder: () => errors.tooManyRequests(),
    addHeadersOnExceeding: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true },
    addHeaders: {
      'x-ratelimit-limit': true,
      'x-ratelimit-remaining': true,
      'x-ratelimit-reset': true,
      'retry-after': true,
    },
  });
}
