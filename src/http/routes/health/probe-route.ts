import type { LogLevel } from 'fastify';
import type { Operation } from '../../operations.js';

const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * The table-driven parts of a route that probes and scrapers call every few seconds: exempt from
 * the rate limit (a load balancer's probes must never be turned away, and they carry no caller to
 * count), and out of the info-level request log (one line per probe would bury everything else).
 * Their warnings and errors are still logged, and readiness logs its own changes.
 */
export function probeRoute(operation: Operation, logLevel: string) {
  const quiet = LEVELS[Math.max(LEVELS.indexOf('warn'), LEVELS.indexOf(logLevel as LogLevel))]!;
  return { method: operation.method, url: operation.url, logLevel: quiet, config: { operation, rateLimit: false as const } };
}
