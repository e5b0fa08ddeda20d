import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { redactUrl } from '../logger.js';
import { StartError } from '../start-errors.js';

/**
 * How long a rate-limit check may wait for Redis before the request goes on unchecked. Far above a
 * healthy round trip (well under a millisecond on a local network), far below what a client notices.
 */
const COMMAND_TIMEOUT_MS = 250;
/** Also how long a start waits for a Redis that does not answer: start-up errors show within 2 s. */
const CONNECT_TIMEOUT_MS = 1000;

/**
 * The Redis connection that shares rate-limit counters between API processes (REDIS_URL).
 *
 * At start, Redis must answer: a wrong URL or a Redis that is down is a configuration problem, and
 * the process stops with a clear message rather than running with limits it cannot keep. Once
 * running, an outage does not stop the API: commands fail at once while disconnected (no offline
 * queue) or after COMMAND_TIMEOUT_MS, the rate limiter lets those requests through, and ioredis
 * reconnects in the background. The outage and the recovery are logged once each.
 */
export async function openRedis(url: string, logger: FastifyBaseLogger): Promise<Redis> {
  // Loaded here, not at start: only deployments with REDIS_URL need it.
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // Reconnect after 50 ms, then back off to one attempt every 2 s.
    retryStrategy: (attempt) => Math.min(attempt * 50, 2000),
  });
  // Before the start succeeds, a failure is the start's to report (below), not the log's. An outage
  // is a lost connection ('close'), with or without a failed reconnection ('error') after it.
  let state: 'starting' | 'up' | 'down' = 'starting';
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  redis.on('close', () => {
    if (state !== 'up' || closing.has(redis)) return;
    state = 'down';
    logger.warn({ err: lastError, redis: redactUrl(url) }, 'Redis unavailable: rate limits are not checked until it is back');
  });
  redis.on('ready', () => {
    lastError = undefined;
    if (state !== 'down') return;
    state = 'up';
    logger.info({ redis: redactUrl(url) }, 'Redis available again: rate limits are checked');
  });
  let deadline: NodeJS.Timeout | undefined;
  try {
    // One limit for the whole check (connection, ready check, PING), so that a Redis that accepts
    // but does not answer stops the start as quickly as one that refuses.
    await Promise.race([
      (async () => {
        await redis.connect();
        await redis.ping();
      })(),
      new Promise((_, reject) => {
        deadline = setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    redis.disconnect();
    // ioredis rejects with "Connection is closed."; the 'error' event had the cause.
    throw new StartError(
      'REDIS_URL',
      `cannot reach Redis at ${redactUrl(url)} (REDIS_URL): ${(lastError ?? (error as Error)).message}`,
      'start Redis there, set REDIS_URL to where it runs, or unset it to count rate limits in each process',
    );
  } finally {
    clearTimeout(deadline);
  }
  state = 'up';
  return redis;
}

/** Connections being closed on purpose: not an outage. */
const closing = new WeakSet<Redis>();

/** Closes the connection, waiting for replies to commands already sent when it is up. */
export async function closeRedis(redis: Redis): Promise<void> {
  closing.add(redis);
  if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
  else redis.disconnect();
}
