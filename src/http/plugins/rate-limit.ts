import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { RateLimitConfig } from '../../config.js';
import { errors } from '../../domain/errors.js';
import { redisRateLimitStore } from '../../redis/rate-limit-store.js';

/**
 * One bucket per caller, whatever the route: the OAuth client and the user together (`client_id`/
 * `azp` and `sub` of a verified token), so that the users of one application do not exhaust each
 * other's budget and one user's tools do not share theirs; a token without a client is keyed by its
 * `sub`, a request without a valid token by its IP. It runs after the authenticate plugin has
 * identified the caller, so a forged token cannot pick its bucket. Every route uses the plugin's one
 * store (no route has a `config.rateLimit` of its own, which would give it a separate window).
 * Counted in memory, per process; with `redis` (REDIS_URL), in Redis, shared by every API process
 * using it. When Redis does not answer, the request goes through unchecked (see redis/rate-limit-store.ts).
 */
export async function registerRateLimit(app: FastifyInstance, config: RateLimitConfig, redis?: Redis): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    ...(redis ? { store: redisRateLimitStore(redis, `${config.redisKeyPrefix}rate-limit:`, app.log), skipOnError: true } : {}),
    hook: 'onRequest',
    max: config.max,
    timeWindow: config.windowMs,
    keyGenerator: callerKey,
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

/**
 * `client:<client>:sub:<subject>`, `sub:<subject>` or `ip:<address>`; client and subject are
 * percent-encoded, so that no pair of them can spell another pair's key.
 */
export function callerKey(request: FastifyRequest): string {
  const caller = request.caller;
  if (caller?.clientId) return `client:${encodeURIComponent(caller.clientId)}:sub:${encodeURIComponent(caller.subject)}`;
  if (caller) return `sub:${encodeURIComponent(caller.subject)}`;
  return `ip:${request.ip}`;
}
