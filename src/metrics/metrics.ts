import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../domain/store.js';

/** What the worker reports (src/worker): task attempts and the leases it holds. */
export interface WorkerMetrics {
  /** One connector call ended: `result` is Success, Retry (failed, will be retried) or Error (failed for good). */
  taskDone(connectorType: string, result: 'Success' | 'Retry' | 'Error', seconds: number): void;
  leaseTaken(): void;
  leaseReleased(): void;
  /** Where the worker's connector processes at once are counted (CONNECTOR_PROCESSES), read at each scrape. */
  connectorProcesses(counts: () => { running: number; waiting: number }): void;
}

/**
 * The Prometheus metrics of one process (docs/operations.md lists them). Each app gets its own
 * registry, never prom-client's global one, so that several apps in one process (tests) do not
 * share or collide; the process's own figures (CPU, memory, event loop, GC) are collected once per
 * process and served with every app's (see processMetrics). Run counts and queue depth are read
 * from the store at scrape time, at most once a second; request, task and lease figures are this
 * process's own.
 */
export interface Metrics extends WorkerMetrics {
  /** This app's own metrics (not the process's). */
  readonly registry: Registry;
  /** The text a scrape answers: the process's metrics and this app's. */
  scrape(): Promise<string>;
  readonly contentType: string;
  /** One answered HTTP request; `operation` is the operations-table id, `none` for unknown routes. */
  requestDone(operation: string, method: string, status: number, seconds: number): void;
}

export interface MetricsOptions {
  /** The clock the reuse of store figures is measured with (tests move it). */
  now?: () => number;
}

/**
 * How long the figures read from the store (runs by state and result, queue depth: two aggregates
 * over the runs table) are reused. /metrics is unauthenticated by default: however often it is
 * scraped, the database sees at most one pair of queries a second, and never two at once.
 */
export const STORE_FIGURES_MAX_AGE_MS = 1000;

let processRegistry: Registry | undefined;

/**
 * prom-client's default metrics, in one registry per process, made at the first app's metrics.
 * Collecting them starts a GC observer and an event-loop delay monitor that run for the life of the
 * process: one of each for the process, not one per app built (tests build hundreds).
 */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const TASK_BUCKETS = [0.01, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600];

export function createMetrics(store: Store, options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const shared = processMetrics();
  const runFigures = storeFigures(store, options.now ?? Date.now);

  const requests = new Counter({
    name: 'twinsync_http_requests_total',
    help: 'HTTP requests answered, by operation id, method and status.',
    labelNames: ['operation', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'twinsync_http_request_duration_seconds',
    help: 'Time from the request arriving to its answer being sent, by operation id.',
    labelNames: ['operation'] as const,
    buckets: REQUEST_BUCKETS,
    registers: [registry],
  });
  const tasks = new Histogram({
    name: 'twinsync_task_duration_seconds',
    help: 'Connector calls (one per task attempt) made by this process, by connector type and result.',
    labelNames: ['connector_type', 'result'] as const,
    buckets: TASK_BUCKETS,
    registers: [registry],
  });
  const leases = new Gauge({
    name: 'twinsync_worker_leases_held',
    help: 'Runs this process is working on (each holds the run\u2019s lease).',
    registers: [registry],
  });

  let processCounts: (() => { running: number; waiting: number }) | undefined;
  new Gauge({
    name: 'twinsync_worker_connector_processes',
    help: 'Connector processes (IFC converters, command programs) this process\u2019s worker runs, and tasks waiting for one (CONNECTOR_PROCESSES), by state.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const counts = processCounts?.();
      if (!counts) return;
      this.set({ state: 'running' }, counts.running);
      this.set({ state: 'waiting' }, counts.waiting);
    },
  });

  // SQLite has one connection and no pool: these exist on PostgreSQL only. Registered ahead of
  // the gauges that query the store, so that they are read before the scrape's own queries wait.
  if (store.poolStats()) {
    new Gauge({
      name: 'twinsync_store_pool_connections',
      help: 'PostgreSQL pool connections, by state (in_use, idle).',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const stats = store.poolStats();
        if (!stats) return;
        this.set({ state: 'in_use' }, stats.inUse);
        this.set({ state: 'idle' }, stats.idle);
      },
    });
    new Gauge({
      name: 'twinsync_store_pool_waiting',
      help: 'Queries waiting for a PostgreSQL pool connection.',
      registers: [registry],
      collect() {
        this.set(store.poolStats()?.waiting ?? 0);
      },
    });
  }

  new Gauge({
    name: 'twinsync_runs',
    help: 'Runs in the store, by state and result (all processes sharing the store report the same).',
    labelNames: ['state', 'result'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // A store that does not answer leaves the series out; /health/ready says why.
      const figures = await runFigures();
      for (const { state, result, count } of figures?.counts ?? []) this.set({ state, result }, count);
    },
  });
  new Gauge({
    name: 'twinsync_run_queue_depth',
    help: 'Runs not completed that no worker holds: waiting to be claimed.',
    registers: [registry],
    async collect() {
      const figures = await runFigures();
      if (figures === undefined) this.reset();
      else this.set(figures.queueDepth);
    },
  });
  // The request hook runs on every request: label children are looked up once per combination
  // instead of prom-client hashing the label object on every call.
  const requestChildren = new Map<string, Counter.Internal>();
  const latencyChildren = new Map<string, Histogram.Internal<'operation'>>();
  return {
    registry,
    contentType: registry.contentType,
    // A merged registry per scrape: cheap (it lists the metric objects, copies no values).
    scrape: () => Registry.merge([shared, registry]).metrics(),
    requestDone(operation, method, status, seconds) {
      const key = `${operation} ${method} ${status}`;
      let counter = requestChildren.get(key);
      if (!counter) requestChildren.set(key, (counter = requests.labels(operation, method, String(status))));
      counter.inc();
      let histogram = latencyChildren.get(operation);
      if (!histogram) latencyChildren.set(operation, (histogram = latency.labels(operation)));
      histogram.observe(seconds);
    },
    taskDone(connectorType, result, seconds) {
      tasks.observe({ connector_type: connectorType, result }, seconds);
    },
    leaseTaken: () => leases.inc(),
    leaseReleased: () => leases.dec(),
    connectorProcesses: (counts) => {
      processCounts = counts;
    },
  };
}

interface RunFigures {
  counts: { state: string; result: string; count: number }[];
  queueDepth: number;
}

/**
 * The store's figures, read at most once per STORE_FIGURES_MAX_AGE_MS: a read in flight is shared
 * by every scrape that arrives meanwhile, and its result (undefined when the store did not answer)
 * is reused until it is that old. No timer: nothing is left running when the app closes.
 */
function storeFigures(store: Store, now: () => number): () => Promise<RunFigures | undefined> {
  let pending: Promise<RunFigures | undefined> | undefined;
  let last: { at: number; figures: RunFigures | undefined } | undefined;
  return () => {
    if (pending) return pending;
    if (last && now() - last.at < STORE_FIGURES_MAX_AGE_MS) return Promise.resolve(last.figures);
    pending = Promise.all([store.runs.countsByStateAndResult(), store.runs.queueDepth(Date.now())])
      .then(
        ([counts, queueDepth]) => ({ counts, queueDepth }),
        () => undefined,
      )
      .then((figures) => {
        last = { at: now(), figures };
        pending = undefined;
        return figures;
      });
    return pending;
  };
}
