import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ConnectorResolver } from '../connectors/connector.js';
import type { RunsConfig } from '../config.js';
import { storeFailure } from '../domain/failures.js';
import { LeaseLost } from '../domain/runs/lease-lost.js';
import { RunState, type QueuedRun } from '../domain/runs/model.js';
import type { ClaimedRun, Planning } from '../domain/runs/repository.js';
import type { Store } from '../domain/store.js';
import type { WorkerMetrics } from '../metrics/metrics.js';
import type { WorkerContext, WorkerLog } from './context.js';
import { processRun } from './process-run.js';
import { LocalBlobStore } from '../blobs/local-blob-store.js';
import type { BlobStore } from '../domain/blob-store.js';

/** Waits before retrying a run step that found the database unavailable: doubling from the first to the most. */
const STEP_RETRY_FIRST_MS = 100;
const STEP_RETRY_MAX_MS = 2000;

/** Sleeps `ms`, or less if a signal aborts. */
function pause(ms: number, ...signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const s of signals) s.addEventListener('abort', done, { once: true });
    if (signals.some((s) => s.aborted)) done();
  });
}

export interface WorkerOptions {
  store: Store;
  dataDir: string;
  /** Where content lives; the local folder `dataDir` when not given. */
  blobs?: BlobStore;
  settings: RunsConfig;
  connectors: ConnectorResolver;
  log: WorkerLog;
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
  /**
   * The idle loops, first idle first. The first of them looks for runs every poll; the others wait
   * until a claim succeeds or a run is queued here: an idle worker costs the store one claim a poll,
   * whatever its concurrency. (Only the first ever leaves before stop: by its poll, or woken.)
   */
  private idleLoops: { wake: () => void; startPolling: () => void }[] = [];

  constructor(options: WorkerOptions) {
    this.ctx = {
      store: options.store,
      dataDir: options.dataDir,
      blobs: options.blobs ?? new LocalBlobStore(options.dataDir),
      settings: options.settings,
      connectors: options.connectors,
      owner: this.owner,
      log: options.log.child({ worker: this.owner }),
      now: options.now ?? Date.now,
      metrics: options.metrics,
    };
    const processes = options.connectors.processes;
    if (processes) options.metrics?.connectorProcesses(processes);
  }

  start(): void {
    for (let i = 0; i < this.ctx.settings.workerConcurrency; i++) this.loops.push(this.loop());
    this.ctx.log.info({ concurrency: this.ctx.settings.workerConcurrency }, 'worker started');
  }

  /** Started and not stopping (GET /health/ready). */
  get running(): boolean {
    return this.loops.length > 0 && !this.stopping.signal.aborted;
  }

  /** A run was queued: an idle loop looks now instead of at the next poll (one per run queued). */
  wake(): void {
    this.idleLoops[0]?.wake();
  }

  /**
   * Stops claiming, lets runs in progress go on for up to `graceMs`, then aborts their connectors;
   * runs not finished are released so another worker takes them at once. Then closes the
   * connectors: no converter process outlives the worker.
   */
  async stop(graceMs: number): Promise<void> {
    // Wakes every idle loop (each listens for it); a loop still claiming does not wait either (idle).
    this.stopping.abort();
    const timer = setTimeout(() => this.hardStop.abort(), graceMs);
    try {
      await Promise.all(this.loops);
    } finally {
      clearTimeout(timer);
      await this.ctx.connectors.close?.().catch((error: unknown) => this.ctx.log.error({ err: error }, 'closing the connectors failed'));
    }
    this.ctx.log.info('worker stopped');
  }

  private async loop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let claimed: ClaimedRun | undefined;
      try {
        claimed = await this.claim();
      } catch (error) {
        this.ctx.log.error({ err: error }, 'claiming a run failed');
      }
      if (claimed) {
        // There may be more: another idle loop looks too (and, finding one, the next).
        this.wake();
        await this.work(claimed);
      } else await this.idle();
    }
  }

  private claim(): Promise<ClaimedRun | undefined> {
    return this.ctx.store.runs.claimNext(this.owner, this.ctx.now(), this.ctx.settings.leaseMs);
  }

  private async work({ run, planning }: ClaimedRun): Promise<void> {
    const runId = run.id;
    // Aborted when the lease is lost or the grace period of a shutdown is over. (Not AbortSignal.any:
    // it would leave a listener on the long-lived hardStop signal behind every run.)
    const lost = new AbortController();
    const signal = lost.signal;
    const stopNow = () => lost.abort();
    this.hardStop.signal.addEventListener('abort', stopNow, { once: true });
    if (this.hardStop.signal.aborted) stopNow();
    const heartbeat = this.heartbeat(runId, run.leaseExpiresMs, lost);
    const log = this.ctx.log.child({ runId });
    let release = true;
    try {
      log.info('run claimed');
      // A run that ended was given back by the commit that ended it: no release to send.
      if ((await this.untilDone(run, planning, signal)) === 'ended') release = false;
      log.info('run left');
    } catch (error) {
      if (error instanceof LeaseLost || signal.aborted) log.info('run given up: lease lost, cancelled or shutting down');
      else {
        // Keep the lease until it expires: the run is retried after leaseMs, not in a tight loop.
        release = false;
        log.error({ err: error }, 'run step failed; the run is retried when its lease expires');
      }
    } finally {
      heartbeat.stop();
      this.hardStop.signal.removeEventListener('abort', stopNow);
      if (release) {
        await this.ctx.store.runs.releaseLease(runId, this.owner).catch((error: unknown) => log.warn({ err: error }, 'releasing a lease failed'));
      }
    }
  }

  /**
   * Drives the run; a step that failed because the database could not be reached (a lost
   * connection, a restart) is tried again, from the state the store has, while the lease holds:
   * the worker keeps its run instead of leaving it until the lease expires.
   */
  private async untilDone(run: QueuedRun, planning: Planning | undefined, signal: AbortSignal): Promise<'ended' | 'left'> {
    let current = run;
    for (let attempt = 0; ; attempt++) {
      try {
        // What the claim read for planning serves the first attempt only: a retry reads afresh.
        return await processRun(this.ctx, current, signal, this.stopping.signal, attempt === 0 ? planning : undefined);
      } catch (error) {
        if (storeFailure(error) !== 'unavailable' || signal.aborted) throw error;
        this.ctx.log.warn({ err: error, runId: run.id, attempt }, 'a run step failed: the database is unavailable; retrying the step');
      }
      await pause(Math.min(STEP_RETRY_MAX_MS, STEP_RETRY_FIRST_MS * 2 ** attempt), signal, this.stopping.signal);
      if (signal.aborted || this.stopping.signal.aborted) return 'left';
      const fresh = await this.ctx.store.runs.findQueued(run.id).catch((error: unknown) => {
        if (storeFailure(error) === 'unavailable') return current; // not reachable yet: the next attempt tells
        throw error;
      });
      if (!fresh || fresh.leaseOwner !== this.owner || fresh.state === RunState.Completed) throw new LeaseLost(run.id);
      current = fresh;
    }
  }

  /**
   * Renews the lease every third of its length. A renewal that fails (the database unreachable for
   * a moment) is retried soon, and is not a lost lease: only a renewal that finds the lease taken,
   * or the lease's own expiry passing with no renewal, is.
   */
  private heartbeat(runId: string, expiresMs: number, lost: AbortController): { stop(): void } {
    const every = Math.max(100, Math.floor(this.ctx.settings.leaseMs / 3));
    const retry = Math.max(50, Math.min(500, Math.floor(every / 4)));
    let until = expiresMs;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const beat = () => {
      const next = this.ctx.now() + this.ctx.settings.leaseMs;
      this.ctx.store.runs.renewLease(runId, this.owner, next).then(
        (ours) => {
          if (!ours) lost.abort();
          else until = next;
          schedule(every);
        },
        (error: unknown) => {
          if (this.ctx.now() >= until) {
            this.ctx.log.warn({ err: error, runId }, 'renewing a lease failed until it expired: giving the run up');
            lost.abort();
            return;
          }
          this.ctx.log.warn({ err: error, runId }, 'renewing a lease failed; retrying');
          schedule(retry);
        },
      );
    };
    const schedule = (ms: number) => {
      if (!stopped && !lost.signal.aborted) timer = setTimeout(beat, ms);
    };
    schedule(every);
    return {
      stop() {
        stopped = true;
        clearTimeout(timer);
      },
    };
  }

  /** Until the next poll (the loop that polls), a wake, or stop. */
  private idle(): Promise<void> {
    // Stopped during this loop's claim: the abort that woke the others has come and gone.
    if (this.stopping.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const loop = {
        wake: () => {
          if (!this.idleLoops.includes(loop)) return; // woken already (a timer and a wake at once)
          clearTimeout(timer);
          this.stopping.signal.removeEventListener('abort', loop.wake);
          const polled = this.idleLoops[0] === loop;
          this.idleLoops = this.idleLoops.filter((other) => other !== loop);
          // The loop that polled goes to look: the next idle loop polls meanwhile.
          if (polled) this.idleLoops[0]?.startPolling();
          resolve();
        },
        startPolling: () => {
          timer = setTimeout(loop.wake, this.ctx.settings.pollMs);
        },
      };
      this.idleLoops.push(loop);
      if (this.idleLoops.length === 1) loop.startPolling();
      this.stopping.signal.addEventListener('abort', loop.wake, { once: true });
    });
  }
}
