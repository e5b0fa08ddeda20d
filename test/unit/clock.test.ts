import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nowIso } from '../../src/domain/clock.js';

describe('nowIso', () => {
  it('is ISO 8601 UTC with microseconds, and reads back as the wall clock to the millisecond', () => {
    const before = Date.now();
    const value = nowIso();
    const after = Date.now();
    assert.match(value, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    const parsed = Date.parse(value);
    assert.ok(parsed >= before && parsed <= after, `${value} between ${before} and ${after}`);
  });

  it('is strictly increasing, also for many calls in the same millisecond', () => {
    const values = Array.from({ length: 5000 }, nowIso);
    for (let i = 1; i < values.length; i++) assert.ok(values[i]! > values[i - 1]!, `${values[i]} after ${values[i - 1]}`);
    const perMillisecond = new Map<string, number>();
    for (const v of values) perMillisecond.set(v.slice(0, 23), (perMillisecond.get(v.slice(0, 23)) ?? 0) + 1);
    assert.ok(Math.max(...perMillisecond.values()) > 1, 'several values fell in one millisecond');
  });
});
