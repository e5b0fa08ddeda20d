import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { ErrorDetail } from '../../../domain/errors.js';
import type { Store } from '../../../domain/store.js';

/** What /health/ready checks: the store always; Redis and the worker when this process has them. */
export interface ReadinessSources {
  store: Store;
  redis?: Redis;
  /** Present when this process runs a worker: whether it is running (started, not stopping). */
  workerRunning?: () => boolean;
  log: FastifyBaseLogger;
}

export interface ReadinessReport {
  ready: boolean;
  /** Every check made, `ok` or `failed`. */
  checks: Record<string, 'ok' | 'failed'>;
  /** One per failed check, for the error body: no internal addresses or messages (the log has those). */
  failures: ErrorDetail[];
  /** Why each failed check failed, for the log only. */
  causes: Record<string, string>;
}

/**
 * A check that waits longer than this has failed. Below the 1 s a Kubernetes probe waits by
 * default, so the probe gets our answer rather than its own time-out.
 */
const CHECK_TIMEOUT_MS = 800;
/**
 * A report is reused for this long, and probes arriving while one is being made share it: the
 * endpoint is public and unlimited, so a flood of probes costs the database at most a few trivial
 * queries a second.
 */
const REUSE_MS = 500;

export type Readiness = () => Promise<ReadinessReport>;

export function readiness(sources: ReadinessSources): Readiness {
  let last: { at: number; report: Promise<ReadinessReport> } | undefined;
  let wasReady = true;
  return () => {
    const now = Date.now();
    if (last && now - last.at < REUSE_MS) return last.report;
    const report = check(sources).then((r) => {
      // Logged when it changes, not on every probe.
      if (r.ready !== wasReady) {
        if (r.ready) sources.log.info('ready again');
        else sources.log.warn({ failed: r.causes }, 'not ready');
        wasReady = r.ready;
      }
      return r;
    });
    last = { at: now, report };
    return report;
  };
}

async function check(sources: ReadinessSources): Promise<ReadinessReport> {
  const checks: ReadinessReport['checks'] = {};
  const failures: ErrorDetail[] = [];
  const causes: Record<string, string> = {};
  const fail = (target: string, code: string, message: string, cause?: unknown) => {
    checks[target] = 'failed';
    failures.push({ code, message, target });
    causes[target] = cause instanceof Error ? cause.message : message;
  };

  const [store, redis] = await Promise.allSettled([
    withTimeout(sources.store.ping(), 'the database'),
    sources.redis ? pingRedis(sources.redis) : Promise.resolve(),
  ]);
  if (store.status === 'rejected') {
    fail('store', 'StoreUnreachable', 'The database did not answer.', store.reason);
  } else {
    checks.store = 'ok';
    if (store.value.pendingMigrations.length > 0) {
      fail('migrations', 'MigrationsPending', `The database lacks ${store.value.pendingMigrations.length} migration(s): restart the service to apply them.`);
    } else checks.migrations = 'ok';
  }
  if (sources.redis) {
    if (redis.status === 'rejected') fail('redis', 'RedisUnreachable', 'Redis (REDIS_URL) did not answer.', redis.reason);
    else checks.redis = 'ok';
  }
  if (sources.workerRunning) {
    if (sources.workerRunning()) checks.worker = 'ok';
    else fail('worker', 'WorkerNotRunning', 'The worker of this process is not running (starting or stopping).');
  }
  return { ready: failures.length === 0, checks, failures, causes };
}

async function pingRedis(redis: Redis): Promise<void> {
  // No offline queue (redis/open-redis.ts): while disconnected, commands fail at once.
  if (redis.status !== 'ready') throw new Error(`Redis connection is ${redis.status}`);
  await withTimeout(redis.ping(), 'Redis');
}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
