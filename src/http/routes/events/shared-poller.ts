import type { FastifyBaseLogger } from 'fastify';

/** What a poller read last, numbered so that each stream tells it once. */
export interface Snapshot<T> {
  readonly version: number;
  readonly value: T;
}

/**
 * Reads one thing (a run, an iModel's runs) from the store every `intervalMs` while at least one
 * stream follows it, and hands each read to all of them: a hundred clients watching one run cost one
 * read per interval, not a hundred. It stops when its last stream leaves (`onIdle`), so a thing
 * nobody watches costs nothing.
 */
export class SharedPoller<T> {
  private latest?: Snapshot<T>;
  private followers = 0;
  private readonly waiters = new Set<() => void>();
  private running = false;
  private sleeping?: { timer: NodeJS.Timeout; resolve: () => void };

  constructor(
    private readonly read: () => Promise<T>,
    private readonly intervalMs: number,
    private readonly log: FastifyBaseLogger,
    private readonly onIdle: () => void,
  ) {}

  follow(): void {
    this.followers++;
    if (!this.running) {
      this.running = true;
      void this.loop();
    }
  }

  unfollow(): void {
    this.followers--;
    if (this.followers > 0) return;
    this.onIdle();
    // Not a turn more: wake the loop so that it sees nobody follows and ends.
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.resolve();
    }
  }

  /**
   * The first read newer than `afterVersion`: at once if there is one, else when the next one comes,
   * or undefined after `maxWaitMs` or when `signal` aborts.
   */
  next(afterVersion: number, maxWaitMs: number, signal: AbortSignal): Promise<Snapshot<T> | undefined> {
    if (this.latest && this.latest.version > afterVersion) return Promise.resolve(this.latest);
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve(this.latest && this.latest.version > afterVersion ? this.latest : undefined);
      };
      const timer = setTimeout(done, maxWaitMs);
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private async loop(): Promise<void> {
    while (this.followers > 0) {
      try {
        const value = await this.read();
        this.latest = { version: (this.latest?.version ?? 0) + 1, value };
        for (const wake of [...this.waiters]) wake();
      } catch (error) {
        // A failed read (the database away for a moment) costs one turn, not the streams.
        this.log.warn({ err: error }, 'an event stream could not read the state it follows');
      }
      if (this.followers === 0) break;
      await new Promise<void>((resolve) => {
        this.sleeping = { timer: setTimeout(resolve, this.intervalMs), resolve };
      });
      this.sleeping = undefined;
    }
    this.running = false;
  }
}
