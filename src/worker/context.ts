import type { FastifyBaseLogger } from 'fastify';
import type { ConnectorResolver } from '../connectors/connector.js';
import type { RunsConfig } from '../config.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import type { SqlStore as Store } from '../store/store.js';

/** What one worker's steps share. */
export interface WorkerContext {
  readonly store: Store;
  readonly dataDir: string;
  readonly settings: RunsConfig;
  readonly connectors: ConnectorResolver;
  /** This worker's lease owner id. */
  readonly owner: string;
  readonly log: FastifyBaseLogger;
  readonly now: () => number;
  /** Task durations and leases held, for /metrics (absent when METRICS=off). */
  readonly metrics?: WorkerMetrics;
}
