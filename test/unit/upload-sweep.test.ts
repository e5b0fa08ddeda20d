import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { sweepAbandonedUploads, uploadsDir } from '../../src/domain/storage/blobs.js';

describe('sweeping abandoned uploads at start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-sweep-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('removes .partial files untouched for an hour, and nothing else', async () => {
    assert.equal(await sweepAbandonedUploads(dataDir), 0, 'no uploads folder yet');
    const dir = uploadsDir(dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const now = Date.now();
    const write = (name: string, ageMs: number) => {
      fs.writeFileSync(path.join(dir, name), 'x');
      const when = new Date(now - ageMs);
      fs.utimesSync(path.join(dir, name), when, when);
    };
    write('old.partial', 2 * 3600_000);
    write('recent.partial', 60_000); // may be another process's upload in progress
    write('fileid.1.abcdef', 2 * 3600_000); // staged: recorded in the store, kept
    assert.equal(await sweepAbandonedUploads(dataDir, now), 1);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['fileid.1.abcdef', 'recent.partial']);
  });
});
