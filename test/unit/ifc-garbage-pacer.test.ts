import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECK_EVERY, GarbagePacer, SLACK_BYTES } from '../../src/connectors/ifc/garbage-pacer.js';

/**
 * When the converter collects garbage (garbage-pacer.ts): it looks at the memory in use once every
 * CHECK_EVERY products, and collects when SLACK_BYTES more than the last collection left live has
 * built up. The heap here is a figure the test sets, and its collector leaves a figure the test
 * chose: the decisions are checked, not V8's timing.
 */
const MB = 1024 * 1024;

/** A heap of `bytes` in use; a collection leaves `liveAfterGc` of it. Counts collections and readings. */
class Heap {
  collections = 0;
  readings = 0;
  constructor(
    public bytes: number,
    public liveAfterGc = bytes,
  ) {}
  pacer(): GarbagePacer {
    return new GarbagePacer({
      gc: () => {
        this.collections++;
        this.bytes = this.liveAfterGc;
      },
      used: () => {
        this.readings++;
        return this.bytes;
      },
    });
  }
}

/** `n` products done. */
const products = (pacer: GarbagePacer, n: number) => {
  for (let i = 0; i < n; i++) pacer.done();
};

describe('garbage pacer', () => {
  it('looks at the heap only every CHECK_EVERY products, however much has built up', () => {
    const heap = new Heap(100 * MB);
    const pacer = heap.pacer();
    assert.equal(heap.readings, 1, 'once when it starts: the baseline');
    heap.bytes += 10 * SLACK_BYTES;
    products(pacer, CHECK_EVERY - 1);
    assert.deepEqual([heap.readings, heap.collections], [1, 0], 'no reading of V8’s figures per product');
    pacer.done();
    assert.equal(heap.collections, 1, 'the CHECK_EVERY-th product collects');
  });

  it('collects only once SLACK_BYTES more than the baseline is in use', () => {
    const heap = new Heap(100 * MB);
    const pacer = heap.pacer();
    heap.bytes = 100 * MB + SLACK_BYTES - 1;
    products(pacer, CHECK_EVERY);
    assert.equal(heap.collections, 0, 'a byte short of the slack');
    heap.bytes = 100 * MB + SLACK_BYTES;
    products(pacer, CHECK_EVERY);
    assert.equal(heap.collections, 1, 'the slack reached');
  });

  it('measures the next slack from what the last collection left live, not from the start', () => {
    // Garbage that survives: each collection leaves 20 MB more live than the one before.
    const heap = new Heap(100 * MB, 120 * MB);
    const pacer = heap.pacer();
    heap.bytes = 100 * MB + SLACK_BYTES;
    products(pacer, CHECK_EVERY);
    assert.equal(heap.collections, 1);
    assert.equal(heap.bytes, 120 * MB);
    // 32 MB above the start, but less than 32 MB above what the collection left: no collection.
    heap.bytes = 120 * MB + SLACK_BYTES - 1;
    products(pacer, CHECK_EVERY);
    assert.equal(heap.collections, 1);
    heap.liveAfterGc = 125 * MB;
    heap.bytes = 120 * MB + SLACK_BYTES;
    products(pacer, CHECK_EVERY);
    assert.equal(heap.collections, 2);
    // And from 125 MB after that one.
    heap.bytes = 125 * MB + SLACK_BYTES - 1;
    products(pacer, 5 * CHECK_EVERY);
    assert.equal(heap.collections, 2);
  });

  it('without a collector (no --expose-gc) it does nothing, not even read the heap', () => {
    let readings = 0;
    const pacer = new GarbagePacer({
      gc: null,
      used: () => {
        readings++;
        return 10 * SLACK_BYTES * readings;
      },
    });
    products(pacer, 10 * CHECK_EVERY);
    assert.equal(readings, 1);
  });
});
