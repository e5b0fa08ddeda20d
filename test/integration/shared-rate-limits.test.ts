import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { openRedis } from '../../src/redis/open-redis.js';
import { createHarness, registeredClient, type Harness } from '../helpers/harness.js';
import { postCreate } from '../helpers/requests.js';
import { OwnRedis, redisServerMissing } from '../helpers/redis-server.js';
import { freePort } from '../helpers/server-process.js';
import { storeTargets } from '../helpers/stores.js';

/**
 * REDIS_URL: API processes count requests together. Each harness below is one API process (its own
 * app, store and issuer key); the same OAuth client id in both means the same caller.
 * Needs TWINSYNC_TEST_REDIS_URL (CI sets it); skipped with a visible reason without it.
 */
const redisUrl = process.env.TWINSYNC_TEST_REDIS_URL?.trim();
const skip = redisUrl ? undefined : 'Redis runs skipped: TWINSYNC_TEST_REDIS_URL is not set';

/** Several processes of one deployment: the same Redis and key prefix, a fresh prefix per test. */
function deployment(extra: Record<string, string> = {}): Record<string, string> {
  return { REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: `twinsync-test-${randomBytes(4).toString('hex')}:`, RATE_LIMIT_MAX: '4', ...extra };
}

for (const target of storeTargets) {
  describe(`shared rate limits [${target.name}]`, { skip: target.skip ?? skip }, () => {
    const harnesses: Harness[] = [];
    const start = async (env: Record<string, string>) => {
      const h = await createHarness(target, env);
      harnesses.push(h);
      return h;
    };
    after(async () => {
      for (const h of harnesses) await h.close();
    });

    it('two API processes on one Redis share each caller’s budget', async () => {
      const env = deployment();
      const [a, b] = [await start(env), await start(env)];
      const seen = [];
      for (const h of [a, b, a, b, a]) {
        const res = await postCreate(h, {}, { token: await h.token('alice') });
        seen.push([res.statusCode, res.headers['x-ratelimit-remaining']]);
      }
      assert.deepEqual(seen, [
        [422, '3'],
        [422, '2'],
        [422, '1'],
        [422, '0'],
        [429, '0'],
      ]);
      const refused = await postCreate(b, {}, { token: await b.token('alice') });
      assert.equal(refused.statusCode, 429);
      assert.deepEqual(refused.json().error.code, 'TooManyRequests');
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 60, `retry-after ${refused.headers['retry-after']}`);
      // Another caller of the same deployment has a budget of its own.
      assert.equal((await postCreate(b, {}, { token: await b.token('bob') })).statusCode, 422);
    });

    it('counts simultaneous requests exactly: each its own place in the budget, across processes', async () => {
      const env = deployment({ RATE_LIMIT_MAX: '10' });
      const [a, b] = [await start(env), await start(env)];
      const [tokenA, tokenB] = [await a.token('alice'), await b.token('alice')];
      // Sent together, so that each process counts several in one turn of its event loop.
      const responses = await Promise.all([
        ...Array.from({ length: 8 }, () => postCreate(a, {}, { token: tokenA })),
        ...Array.from({ length: 8 }, () => postCreate(b, {}, { token: tokenB })),
      ]);
      const allowed = responses.filter((r) => r.statusCode === 422);
      assert.equal(allowed.length, 10);
      assert.equal(responses.filter((r) => r.statusCode === 429).length, 6);
      const remaining = allowed.map((r) => Number(r.headers['x-ratelimit-remaining'])).sort((x, y) => x - y);
      assert.deepEqual(remaining, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('without REDIS_URL each process counts alone', async () => {
      const [a, b] = [await start({ RATE_LIMIT_MAX: '2' }), await start({ RATE_LIMIT_MAX: '2' })];
      const statuses = [];
      for (const h of [a, b, a, b, a]) statuses.push((await postCreate(h, {}, { token: await h.token('alice') })).statusCode);
      assert.deepEqual(statuses, [422, 422, 422, 422, 429]);
    });

    it('deployments with different key prefixes do not share budgets', async () => {
      const [a, b] = [await start(deployment({ RATE_LIMIT_MAX: '1' })), await start(deployment({ RATE_LIMIT_MAX: '1' }))];
      assert.equal((await postCreate(a, {}, { token: await a.token('alice') })).statusCode, 422);
      assert.equal((await postCreate(b, {}, { token: await b.token('alice') })).statusCode, 422);
      assert.equal((await postCreate(a, {}, { token: await a.token('alice') })).statusCode, 429);
    });

    it('a window ends: the counter in Redis expires with it', async () => {
      const env = deployment({ RATE_LIMIT_MAX: '1', RATE_LIMIT_WINDOW_MS: '400' });
      const a = await start(env);
      assert.equal((await postCreate(a, {}, { token: await a.token('alice') })).statusCode, 422);
      assert.equal((await postCreate(a, {}, { token: await a.token('alice') })).statusCode, 429);
      const redis = new Redis(redisUrl!);
      try {
        const ttl = await redis.pttl(`${env.REDIS_KEY_PREFIX}rate-limit:client:client-of-alice:sub:alice`);
        assert.ok(ttl > 0 && ttl <= 400, `the counter expires with the window (pttl ${ttl})`);
      } finally {
        redis.disconnect();
      }
      await sleep(450);
      assert.equal((await postCreate(a, {}, { token: await a.token('alice') })).statusCode, 422);
    });
  });
}

/** Three different operations of one caller, each answered without touching anything. */
const ROUTES = [
  (h: Harness, token: string) => postCreate(h, {}, { token }),
  (h: Harness, token: string) =>
    h.app.inject({ method: 'GET', url: '/itwins', headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.bentley.itwin-platform.v1+json' } }),
  (h: Harness, token: string) =>
    h.app.inject({ method: 'GET', url: '/synchronization/imodels/connections/authorizationinformation', headers: { authorization: `Bearer ${token}` } }),
];

for (const target of storeTargets) {
  for (const counted of ['in memory', 'in Redis'] as const) {
    const skipRedis = counted === 'in Redis' ? skip : undefined;
    describe(`one rate-limit bucket per caller, counted ${counted} [${target.name}]`, { skip: target.skip ?? skipRedis }, () => {
      let h: Harness;
      before(async () => {
        h = await createHarness(target, counted === 'in Redis' ? deployment({ RATE_LIMIT_MAX: '3' }) : { RATE_LIMIT_MAX: '3' });
      });
      after(async () => h?.close());

      it('different routes draw on one budget: the fourth request of a caller is refused whatever its route', async () => {
        const token = await h.token('route-user');
        const seen = [];
        for (const route of [...ROUTES, ROUTES[1]!]) {
          const res = await route(h, token);
          seen.push([res.statusCode === 429 ? 429 : 'answered', res.headers['x-ratelimit-remaining']]);
        }
        assert.deepEqual(seen, [
          ['answered', '2'],
          ['answered', '1'],
          ['answered', '0'],
          [429, '0'],
        ]);
        for (const route of ROUTES) assert.equal((await route(h, token)).statusCode, 429);
      });

      it('the bucket is the client and the user together: two users of one client, or one user of two clients, count apart', async () => {
        const client = await registeredClient(h.issuer, 'shared-app');
        const issue = async (subject: string, clientId: string) => (await h.issuer.issue({ subject, clientId, scopes: ['itwin-platform'] })).token;
        const [ann, ben] = [await issue('ann', client), await issue('ben', client)];
        for (let i = 0; i < 3; i++) assert.equal((await postCreate(h, {}, { token: ann })).statusCode, 422);
        assert.equal((await postCreate(h, {}, { token: ann })).statusCode, 429);
        // Another user of the same client: a budget of their own.
        assert.equal((await postCreate(h, {}, { token: ben })).statusCode, 422);
        // The same user through another client: another budget too.
        assert.equal((await postCreate(h, {}, { token: await issue('ann', await registeredClient(h.issuer, 'other-app')) })).statusCode, 422);
        // A new token of the same client and user shares the spent one.
        assert.equal((await postCreate(h, {}, { token: await issue('ann', client) })).statusCode, 429);
      });
    });
  }
}

describe('shared rate limits when Redis goes away', { skip: redisServerMissing }, () => {
  let own: OwnRedis;
  const harnesses: Harness[] = [];
  const lines: Array<{ level: number; msg: string }> = [];

  before(async () => {
    own = await OwnRedis.start();
  });
  after(async () => {
    for (const h of harnesses) await h.close();
    await own.stop();
  });

  it('refuses to start when Redis cannot be reached, saying so', async () => {
    const closed = await freePort();
    await assert.rejects(openRedis(`redis://127.0.0.1:${closed}`, pino({ level: 'silent' })), /cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(REDIS_URL\)/);
  });

  it('lets requests through while Redis is down, logs it once, and counts again once it is back', async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const redis = await openRedis(own.url, logger);
    const h = await createHarness(storeTargets[0]!, { REDIS_URL: own.url, RATE_LIMIT_MAX: '2' });
    harnesses.push(h);
    const call = async () => postCreate(h, {}, { token: await h.token('alice') });
    assert.equal((await call()).headers['x-ratelimit-remaining'], '1');

    await own.stop();
    const during = [];
    for (let i = 0; i < 4; i++) during.push((await call()).statusCode);
    assert.deepEqual(during, [422, 422, 422, 422], 'no 429 and no 500 while the counters are out of reach');

    await own.start(); // empty: the counters start again
    let remaining: unknown;
    for (let i = 0; i < 150 && remaining !== '1'; i++) {
      await sleep(20);
      remaining = (await call()).headers['x-ratelimit-remaining'];
    }
    assert.equal(remaining, '1', 'counting again after Redis came back');
    assert.equal((await call()).statusCode, 422);
    assert.equal((await call()).statusCode, 429);

    // The separately opened connection saw the same outage: logged once down, once back.
    for (let i = 0; i < 150 && !lines.some((l) => /available again/.test(l.msg)); i++) await sleep(20);
    redis.disconnect();
    assert.equal(lines.filter((l) => /Redis unavailable/.test(l.msg)).length, 1);
    assert.equal(lines.filter((l) => /Redis available again/.test(l.msg)).length, 1);
  });

  it('a Redis that hangs costs one command timeout, not one per request', async () => {
    const h = await createHarness(storeTargets[0]!, { REDIS_URL: own.url, RATE_LIMIT_MAX: '100' });
    harnesses.push(h);
    const token = await h.token('alice');
    assert.equal((await postCreate(h, {}, { token })).statusCode, 422);
    own.process!.kill('SIGSTOP');
    try {
      const started = performance.now();
      for (let i = 0; i < 10; i++) assert.equal((await postCreate(h, {}, { token })).statusCode, 422);
      const elapsed = performance.now() - started;
      // One 250 ms timeout, then a pause in which Redis is not asked; ten timeouts would be 2.5 s.
      assert.ok(elapsed < 1000, `10 requests took ${Math.round(elapsed)} ms`);
    } finally {
      own.process!.kill('SIGCONT');
    }
  });
});
