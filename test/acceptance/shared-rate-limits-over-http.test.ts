import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const redisUrl = process.env.TWINSYNC_TEST_REDIS_URL?.trim();

/** Two API processes as `npm start -- serve --no-worker` runs them, one Redis: one budget per caller. */
describe('acceptance: two API processes share rate limits through Redis', {
  skip: redisUrl ? undefined : 'Redis runs skipped: TWINSYNC_TEST_REDIS_URL is not set',
}, () => {
  const dataDirs: string[] = [];
  const servers: ServerProcess[] = [];
  before(async () => {
    const env = { REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: `twinsync-test-${randomBytes(4).toString('hex')}:`, RATE_LIMIT_MAX: '3' };
    for (let i = 0; i < 2; i++) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-redis-'));
      dataDirs.push(dataDir);
      servers.push(await startServerProcess({ ...env, DATA_DIR: dataDir }, ['serve', '--no-worker']));
    }
  });
  after(() => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    for (const dataDir of dataDirs) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts requests from one address across both processes', async () => {
    const seen = [];
    for (const server of [servers[0]!, servers[1]!, servers[0]!, servers[1]!]) {
      // No token: the caller is its IP address, the same for both processes.
      const res = await fetch(`${server.url}/synchronization/imodels/storageconnections`, { method: 'POST' });
      seen.push([res.status, res.headers.get('x-ratelimit-remaining')]);
    }
    assert.deepEqual(seen, [
      [401, '2'],
      [401, '1'],
      [401, '0'],
      [429, '0'],
    ]);
  });
});
