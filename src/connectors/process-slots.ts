/**
 * How many connector processes (IFC converters, `command` programs) one worker runs at once
 * (CONNECTOR_PROCESSES). A worker drives more runs at once than that (WORKER_CONCURRENCY): most of
 * a run's time is spent waiting on the database and the blob store, while a converter needs a core
 * and hundreds of MB for as long as it works. A task beyond the limit waits here, in the order the
 * tasks came, before its connector's time limit starts; a task whose run is cancelled or given up
 * while it waits leaves the queue.
 */
export class ProcessSlots {
  private used = 0;
  private readonly waiting: Waiter[] = [];

  /** `size`: processes at once, at least 1; Infinity: no limit (tests, and connectors built alone). */
  constructor(readonly size: number) {
    if (!(size >= 1)) throw new Error(`ProcessSlots: size must be at least 1, not ${size}`);
  }

  /** Processes running now, and tasks waiting for one. */
  get counts(): { running: number; waiting: number } {
    return { running: this.used, waiting: this.waiting.length };
  }

  /**
   * Resolves with the function that gives the slot back (once; calling it again does nothing) when
   * one is free; rejects with `signal`'s reason if that aborts first.
   */
  take(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener('abort', waiter.abort);
          resolve(this.releaser());
        },
        abort: () => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.abort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the first waiter, so it is never free while someone waits.
      const next = this.waiting.shift();
      if (next) next.grant();
      else this.used--;
    };
  }
}

interface Waiter {
  grant(): void;
  abort(): void;
}

/** No limit: for a connector built on its own, outside a worker. */
export const UNLIMITED_PROCESSES = new ProcessSlots(Number.POSITIVE_INFINITY);
