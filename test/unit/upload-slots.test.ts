import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BODIES_PER_UPLOAD, UploadSlots } from '../../src/domain/storage/upload-slots.js';

describe('upload slots', () => {
  it('counts a caller’s uploads, not their bodies: the blocks of one upload share its slot', () => {
    const slots = new UploadSlots(2);
    const a1 = slots.take('alice', 'f1.1');
    const a2 = slots.take('alice', 'f1.1');
    const b = slots.take('alice', 'f2.1');
    assert.ok(a1 && a2 && b);
    assert.equal(slots.take('alice', 'f3.1'), undefined, 'a third upload is refused');
    assert.equal(slots.busyUpload('alice', 'f3.1'), false);
    assert.ok(slots.take('bob', 'f3.1'), 'other callers have their own slots');
    a1();
    a1(); // giving back twice gives back once
    assert.equal(slots.take('alice', 'f3.1'), undefined, 'f1.1 still streams a body');
    a2();
    assert.ok(slots.take('alice', 'f3.1'), 'f1.1 ended: its slot is free');
  });

  it('limits the bodies of one upload streaming at once', () => {
    const slots = new UploadSlots(1);
    const held = Array.from({ length: BODIES_PER_UPLOAD }, () => slots.take('alice', 'f1.1'));
    assert.ok(held.every(Boolean));
    assert.equal(slots.take('alice', 'f1.1'), undefined);
    assert.equal(slots.busyUpload('alice', 'f1.1'), true);
    held[0]!();
    assert.ok(slots.take('alice', 'f1.1'));
  });
});
