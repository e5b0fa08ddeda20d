import fs from 'node:fs';

/**
 * An indexed STEP file's text read back from the file a block at a time, for as long as a
 * conversion needs it, instead of held whole: on a 50 MB file, the bytes were a tenth of a
 * conversion's peak memory (docs/performance.md). Instances are read where the index says they
 * are; neighbours share blocks (an exporter writes a product's representation and its property
 * sets close together), so a few recently read blocks serve most reads.
 *
 * The file descriptor is the one the text was read through, so a file renamed or replaced since
 * is still the same bytes; it is closed with close().
 */
export class StepText {
  /** Block number → its bytes; a Map keeps insertion order, so the first entry is the least recently used. */
  private readonly blocks = new Map<number, Buffer>();

  constructor(
    private readonly fd: number,
    /** The file's length, as indexed. */
    private readonly length: number,
  ) {}

  /**
   * Bytes [start, end) of the file. A view into a cached block, valid until the next read: every
   * caller uses it at once (parses, hashes or copies it) and keeps nothing of it.
   */
  read(start: number, end: number): Uint8Array {
    if (end <= start) return EMPTY;
    if (end > this.length) throw new RangeError(`the STEP file is shorter than its index (${end} > ${this.length})`);
    const first = Math.floor(start / BLOCK_BYTES);
    if (first !== Math.floor((end - 1) / BLOCK_BYTES)) {
      // Across blocks (or larger than one): read on its own, not cached.
      const out = Buffer.allocUnsafe(end - start);
      this.fill(out, start);
      return out;
    }
    const block = this.block(first);
    return block.subarray(start - first * BLOCK_BYTES, end - first * BLOCK_BYTES);
  }

  close(): void {
    this.blocks.clear();
    fs.closeSync(this.fd);
  }

  private block(n: number): Buffer {
    const cached = this.blocks.get(n);
    if (cached) {
      this.blocks.delete(n);
      this.blocks.set(n, cached);
      return cached;
    }
    let block: Buffer;
    if (this.blocks.size >= CACHED_BLOCKS) {
      // The least recently used block's buffer, reused: no garbage per read.
      const [oldest, buffer] = this.blocks.entries().next().value as [number, Buffer];
      this.blocks.delete(oldest);
      block = buffer;
    } else block = Buffer.allocUnsafe(BLOCK_BYTES);
    const size = Math.min(BLOCK_BYTES, this.length - n * BLOCK_BYTES);
    this.fill(block.subarray(0, size), n * BLOCK_BYTES);
    this.blocks.set(n, block);
    return block;
  }

  private fill(target: Uint8Array, position: number): void {
    let done = 0;
    while (done < target.length) {
      const read = fs.readSync(this.fd, target, done, target.length - done, position + done);
      if (read === 0) throw new RangeError(`the STEP file ended at ${position + done} bytes, its index says ${this.length}`);
      done += read;
    }
  }
}

const EMPTY = new Uint8Array(0);
/** 64 kB: a few hundred instances of an authoring tool's file; one read from the page cache is microseconds. */
const BLOCK_BYTES = 64 * 1024;
/** 4 MB in all: the region of the product being read and that of its relationships and property sets. */
const CACHED_BLOCKS = 64;
