import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOpaqueId, newOpaqueId } from '../../src/domain/ids.js';

describe('opaque ids', () => {
  it('are 43-char base64url of 32 bytes, all different', () => {
    const ids = Array.from({ length: 5000 }, () => newOpaqueId());
    for (const id of ids) {
      assert.ok(isOpaqueId(id), id);
      assert.equal(Buffer.from(id, 'base64url').length, 32);
    }
    assert.equal(new Set(ids).size, ids.length);
  });

  it('begin with the time in milliseconds', () => {
    const before = Date.now();
    const id = newOpaqueId();
    const after = Date.now();
    const time = Buffer.from(id, 'base64url').readUIntBE(0, 6);
    assert.ok(time >= before && time <= after, `${time} not within ${before}..${after}`);
    const next = Buffer.from(newOpaqueId(), 'base64url').readUIntBE(0, 6);
    assert.ok(next >= time && next <= Date.now());
  });

  it('keep 26 random bytes: ids of the same millisecond differ past the time', () => {
    const tails = new Set<string>();
    for (let i = 0; i < 1000; i++) tails.add(Buffer.from(newOpaqueId(), 'base64url').subarray(6).toString('hex'));
    assert.equal(tails.size, 1000);
  });
});
