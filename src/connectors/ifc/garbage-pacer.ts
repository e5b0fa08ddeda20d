import v8 from 'node:v8';

/**
 * Collects garbage whenever reading or writing products has left 16 MB more than the last
 * collection left live, in a converter started with `--expose-gc` (converter.ts starts it so).
 *
 * Writing a product leaves garbage (its meshes, props, geometry stream) that survives a few young
 * collections while its batch waits to be inserted, so it reaches the old generation, which V8
 * lets grow to about twice what is live before collecting: on a 50 MB file the JS heap rose from
 * 90 MB to 200 MB, and the resident set to 610 MB, between two major collections. Reading every
 * product's data for the schema leaves garbage of the same kind. Collecting by what has built up,
 * not by a count of products, costs a small file little (collecting every 5,000 products made a
 * re-sync of 5,000 a fifth slower) and bounds a large one's garbage whatever its products weigh.
 * (64 MB of slack let the 50 MB file peak at 540 MB; 32 MB, at 487 to 510 MB; 16 MB, at 462 MB,
 * with no more CPU time on a 5,000-element conversion: docs/performance.md.)
 *
 * Without `--expose-gc` (tests, a caller in its own process), it does nothing.
 */
export class GarbagePacer {
  private products = 0;
  private readonly gc: (() => void) | undefined;
  private readonly used: () => number;
  /** Heap and external memory in use after the last collection (or when the pacer started). */
  private live: number;

  /**
   * `gc` and `used` are V8's (the collector `--expose-gc` exposes, the heap's figures) unless given:
   * a test gives figures and a collector of its own, to check the decisions without timing
   * (`gc: null`: no collector, as without `--expose-gc`).
   */
  constructor({ gc = (globalThis as { gc?: () => void }).gc, used = usedBytes }: { gc?: (() => void) | null; used?: () => number } = {}) {
    this.gc = gc ?? undefined;
    this.used = used;
    this.live = used();
  }

  /** A product read or written. (Its meshes' arrays count as external memory.) */
  done(): void {
    if (!this.gc || ++this.products % CHECK_EVERY !== 0) return;
    if (this.used() - this.live < SLACK_BYTES) return;
    this.gc();
    this.live = this.used();
  }
}

/** How often the memory in use is looked at, in products. */
export const CHECK_EVERY = 200;
/** How much may build up since the last collection before the next. */
export const SLACK_BYTES = 16 * 1024 * 1024;

function usedBytes(): number {
  const heap = v8.getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
}
