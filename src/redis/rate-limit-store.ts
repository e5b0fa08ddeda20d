import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * One fixed window per key: the requests that open a window create the counter with the window's
 * lifetime; later ones count and read how long the window has left. Adds ARGV[2] requests at once
 * and returns the count after them: one round trip, atomic, so API processes sharing the Redis
 * count together.
 */
const INCREMENT = `
local added = tonumber(ARGV[2])
local count = redis.call('INCRBY', KEYS[1], added)
if count == added then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return {count, tonumber(ARGV[1])}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

const COMMAND = 'twinsyncRateLimitIncrement';

/** How often a failing Redis is logged at most, per process. */
const LOG_EVERY_MS = 10_000;

/**
 * After a failed command, how long requests go unchecked without asking Redis. A Redis that hangs
 * (rather than refusing connections) fails each command only at the command timeout: without this
 * pause every request would wait that long.
 */
const PAUSE_AFTER_FAILURE_MS = 1000;

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];

const PAUSED = new Error('rate limit not checked: Redis failed less than a second ago');

/** The requests of one key counted in this turn of the event loop, waiting for one increment. */
interface Pending {
  timeWindow: number;
  callbacks: Callback[];
}

/**
 * A @fastify/rate-limit store on Redis, with the same buckets as the plugin's in-memory store: one
 * per caller key, and one per route and caller key for a route with a rate limit of its own (none
 * has one yet).
 *
 * The requests of one key that arrive in the same turn of the event loop (a busy client's, typically)
 * are added with one INCRBY, and each gets its own place in the count, as if they had been counted one
 * by one: exact, at one round trip per key and turn instead of one per request (a round trip per
 * request cost a fifth of the create path's throughput in the bench).
 *
 * A failed or timed-out command is reported to the plugin, which then lets the requests through
 * (`skipOnError`), logged at most every LOG_EVERY_MS, and followed by PAUSE_AFTER_FAILURE_MS in
 * which Redis is not asked: limits are protection, and an outage of Redis should not become an
 * outage, or a slowdown, of the API.
 */
export function redisRateLimitStore(redis: Redis, prefix: string, logger: FastifyBaseLogger): FastifyRateLimitStoreCtor {
  // Sent once, then run by its SHA-1 (EVALSHA), as ioredis does for defined commands.
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: INCREMENT });
  const increment = (redis as unknown as Record<string, (key: string, windowMs: number, added: number) => Promise<[number, number]>>)[COMMAND]!.bind(redis);
  let lastLogged = 0;
  let pausedUntil = 0;
  const failed = (error: Error) => {
    const now = Date.now();
    pausedUntil = now + PAUSE_AFTER_FAILURE_MS;
    if (now - lastLogged < LOG_EVERY_MS) return;
    lastLogged = now;
    logger.warn({ err: error }, 'rate limit not checked: Redis did not answer');
  };

  let pending = new Map<string, Pending>();
  const flush = () => {
    const batch = pending;
    pending = new Map();
    for (const [key, { timeWindow, callbacks }] of batch) {
      increment(key, timeWindow, callbacks.length).then(
        ([count, ttl]) => {
          const first = count - callbacks.length;
          callbacks.forEach((callback, i) => callback(null, { current: first + i + 1, ttl }));
        },
        (error: Error) => {
          failed(error);
          for (const callback of callbacks) callback(error);
        },
      );
    }
  };

  class Counters implements FastifyRateLimitStore {
    // The plugin constructs the store with its settings, which it does not need.
    constructor(
      _settings?: unknown,
      private readonly keyPrefix = prefix,
    ) {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      if (pausedUntil > 0) {
        if (Date.now() < pausedUntil) return callback(PAUSED);
        pausedUntil = 0;
      }
      const fullKey = this.keyPrefix + key;
      const waiting = pending.get(fullKey);
      if (waiting) {
        waiting.callbacks.push(callback);
        return;
      }
      if (pending.size === 0) setImmediate(flush);
      pending.set(fullKey, { timeWindow, callbacks: [callback] });
    }

    // The plugin passes its merged settings, with the route under `routeInfo` (its types say otherwise).
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const route = (routeOptions as unknown as { routeInfo: { method: string; url: string } }).routeInfo;
      return new Counters(undefined, `${this.keyPrefix}${route.method}${route.url}:`);
    }
  }
  return Counters;
}
