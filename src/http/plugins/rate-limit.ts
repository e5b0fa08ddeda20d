import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { RateLimitConfig } from '../../config.js';
import { errors } from '../../domain/errors.js';
import { redisRateLimitStore } from '../../redis/rate-limit-store.js';

/**
 * Per OAuth client (`client_id`/`azp` of a verified token), else per `sub`, else per IP. It runs
 * after the authenticate plugin has identified the caller, so a forged token cannot pick its bucket.
 * Counted in memory, per process; with `redis` (REDIS_URL), in Redis, shared by every API process
 * using it. Either way one window per route and caller. When Redis does not answer, the request goes
 * through unchecked (see redis/rate-limit-store.ts).
 */
export async function registerRateLimit(app: FastifyInstance, config: RateLimitConfig, redis?: Redis): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    ...(redis ? { store: redisRateLimitStore(redis, `${config.redisKeyPrefix}rate-limit:`, app.log), skipOnError: true } : {}),
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
