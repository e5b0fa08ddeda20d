import type { LogFn } from 'pino';
import type { ConnectorResolver } from '../connectors/connector.js';
import type { RunsConfig } from '../config.js';
import type { BlobStore } from '../domain/blob-store.js';
import type { Store } from '../domain/store.js';
import type { WorkerMetrics } from '../metrics/metrics.js';

/** What the worker logs with: pino's methods, which the service's logger (and any pino logger) has. */
export interface WorkerLog {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): WorkerLog;
}

/** What one worker's steps share. */
export interface WorkerContext {
  readonly store: Store;
  /** This machine's working folder: connectors' output, copies of blobs that programs read as files. */
  readonly dataDir: string;
  /** Where content lives: source files' versions, checkpoints. */
  readonly blobs: BlobStore;
  readonly settings: RunsConfig;
  readonly connectors: ConnectorResolver;
  /** This worker's lease owner id. */
  readonly owner: string;
  readonly log: WorkerLog;
  readonly now: () => number;
  /** Task durations and leases held, for /metrics (absent when METRICS=off). */
  readonly metrics?: WorkerMetrics;
}
