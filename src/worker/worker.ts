import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { ConnectorResolver } from '../connectors/connector.js';
import type { RunsConfig } from '../config.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import { claimableRuns, claimRun, LeaseLost, releaseLease, renewLease } from '../store/repositories/run-queue.js';
import type { RunRow } from '../store/schema-runs.js';
import type { Store } from '../store/store.js';
import type { WorkerContext } from './context.js';
import { processRun } from './process-run.js';

export interface WorkerOptions {
  store: Store;
  dataDir: string;
  settings: RunsConfig;
  connectors: ConnectorResolver;
  log: FastifyBaseLogger;
  now?: () => number;
  /** Task durations and leases held, for /metrics. */
  metrics?: WorkerMetrics;
}

/**
 * A worker: `settings.workerConcurrency` loops that claim queued runs from the store (the runs
 * table is the queue), renew their lease while working, and release it when done. Any number of
 * workers, in any number of processes, may share one store.
 */
export class Worker {
  readonly owner = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly ctx: WorkerContext;
  private readonly loops: Promise<void>[] = [];
  /** Aborted at once on stop(): no new claims, idle loops wake up. */
  private readonly stopping = new AbortController();
  /** Aborted when the grace period is over: connectors in flight are told to stop. */
  private readonly hardStop = new AbortController();
  private wakeIdle: (() => void)[] = [];

  constructor(options: WorkerOptions) {
    this.ctx = {
      store: options.store,
      dataDir: options.dataDir,
      settings: options.settings,
      connectors: options.connectors,
      owner: this.owner,
      log: options.log.child({ worker: this.owner }),
      now: options.now ?? Date.now,
      metrics: options.metrics,
    };
  }

  start(): void {
    for (let i = 0; i < this.ctx.settings.workerConcurrency; i++) this.loops.push(this.loop());
    this.ctx.log.info({ concurrency: this.ctx.settings.workerConcurrency }, 'worker started');
  }

  /** Started and not stopping (GET /health/ready). */
  get running(): boolean {
    return this.loops.length > 0 && !this.stopping.signal.aborted;
  }

  /** A run was queued: idle loops look now instead of at their next poll. */
  wake(): void {
    const waiting = this.wakeIdle;
    this.wakeIdle = [];
    for (const resolve of waiting) resolve();
  }

  /**
   * Stops claiming, lets runs in progress go on for up to `graceMs`, then aborts their connectors;
   * runs not finished are released so another worker takes them at once.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping.abort();
    this.wake();
    const timer = setTimeout(() => this.hardStop.abort(), graceMs);
    try {
      await Promise.all(this.loops);
    } finally {
      clearTimeout(timer);
    }
    this.ctx.log.info('worker stopped');
  }

  private async loop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let run: RunRow | undefined;
      try {
        run = await this.claim();
      } catch (error) {
        this.ctx.log.error({ err: error }, 'claiming a run failed');
      }
      if (run) await this.work(run);
      else await this.idle();
    }
  }

  private async claim(): Promise<RunRow | undefined> {
    const now = this.ctx.now();
    for (const candidate of await claimableRuns(this.ctx.store.db, now, 5)) {
      const claimed = await this.ctx.store.write((trx) => claimRun(trx, candidate.id, this.owner, now, this.ctx.settings.leaseMs));
      if (claimed) return claimed;
    }
    return undefined;
  }

  private async work(run: RunRow): Promise<void> {
    const runId = run.id;
    // Aborted when the lease is lost or the grace period of a shutdown is over. (Not AbortSignal.any:
    // it would leave a listener on the long-lived hardStop signal behind every run.)
    const lost = new AbortController();
    const signal = lost.signal;
    const stopNow = () => lost.abort();
    this.hardStop.signal.addEventListener('abort', stopNow, { once: true });
    if (this.hardStop.signal.aborted) stopNow();
    const heartbeat = setInterval(() => {
      renewLease(this.ctx.store.db, runId, this.owner, this.ctx.now() + this.ctx.settings.leaseMs).then(
        (ours) => ours || lost.abort(),
        (error: unknown) => this.ctx.log.warn({ err: error, runId }, 'renewing a lease failed'),
      );
    }, Math.max(100, Math.floor(this.ctx.settings.leaseMs / 3)));
    const log = this.ctx.log.child({ runId });
    let release = true;
    try {
      log.info('run claimed');
      await processRun(this.ctx, run, signal, this.stopping.signal);
      log.info('run left');
    } catch (error) {
      if (error instanceof LeaseLost || signal.aborted) log.info('run given up: lease lost, cancelled or shutting down');
      else {
        // Keep the lease until it expires: the run is retried after leaseMs, not in a tight loop.
        release = false;
        log.error({ err: error }, 'run step failed; the run is retried when its lease expires');
      }
    } finally {
      clearInterval(heartbeat);
      this.hardStop.signal.removeEventListener('abort', stopNow);
      if (release) {
        await releaseLease(this.ctx.store.db, runId, this.owner).catch((error: unknown) => log.warn({ err: error }, 'releasing a lease failed'));
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stopping.signal.removeEventListener('abort', done);
        this.wakeIdle = this.wakeIdle.filter((f) => f !== done);
        resolve();
      };
      const timer = setTimeout(done, this.ctx.settings.pollMs);
      this.wakeIdle.push(done);
      this.stopping.signal.addEventListener('abort', done, { once: true });
    });
  }
}
