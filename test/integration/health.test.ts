import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHarness, type Harness } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { RawSocket } from '../helpers/raw-socket.js';
import { OwnRedis, redisServerMissing } from '../helpers/redis-server.js';
import { freePort } from '../helpers/server-process.js';
import { storeTargets } from '../helpers/stores.js';

/** Longer than the time a readiness report is reused (routes/health/readiness.ts). */
const REPORT_REUSE_MS = 600;

const get = (h: Harness, url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

function assertNotReady(res: { statusCode: number; json(): any; headers: Record<string, unknown> }, target: string, code: string) {
  assert.equal(res.statusCode, 503);
  assert.match(String(res.headers['content-type']), /application\/json/);
  const { error } = res.json();
  assert.equal(error.code, 'NotReady');
  assert.equal(typeof error.message, 'string');
  assert.ok(
    error.details.some((d: { target: string; code: string }) => d.target === target && d.code === code),
    `details name ${target} ${code}: ${JSON.stringify(error.details)}`,
  );
}

onEveryStore('health probes', { env: { RATE_LIMIT_MAX: '2' } }, ({ h }) => {
  it('GET /health/live answers 200 without a token', async () => {
    const res = await get(h, '/health/live');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('GET /health/ready answers 200 with the checks it made, without a token', async () => {
    const res = await get(h, '/health/ready');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ready', checks: { store: 'ok', migrations: 'ok' } });
  });

  it('probes are not rate limited, while operations are', async () => {
    for (let i = 0; i < 6; i++) {
      assert.equal((await get(h, '/health/live')).statusCode, 200);
      assert.equal((await get(h, '/health/ready')).statusCode, 200);
      assert.equal((await get(h, '/metrics')).statusCode, 200);
    }
    const token = await h.token();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get(h, '/itwins', { authorization: `Bearer ${token}` })).statusCode);
    assert.deepEqual(statuses, [200, 200, 429]);
  });

  it('is documented in the OpenAPI document as public operations', async () => {
    const doc = (await get(h, '/openapi.json')).json();
    assert.equal(doc.paths['/health/live'].get.operationId, 'get-health-live');
    assert.equal(doc.paths['/health/ready'].get.operationId, 'get-health-ready');
    assert.equal(doc.paths['/health/ready'].get.security, undefined);
  });
});

for (const target of storeTargets) {
  describe(`readiness failures [${target.name}]`, { skip: target.skip }, () => {
    it('a missing migration and then a closed store make /health/ready 503 NotReady, naming the check; /health/live stays 200', async () => {
      const h = await createHarness(target);
      try {
        assert.equal((await get(h, '/health/ready')).statusCode, 200);
        await h.store.db
          .deleteFrom('twinsync_migrations')
          .where('name', '=', await lastMigration(h))
          .execute();
        await sleep(REPORT_REUSE_MS);
        assertNotReady(await get(h, '/health/ready'), 'migrations', 'MigrationsPending');

        await h.store.close();
        await sleep(REPORT_REUSE_MS);
        const res = await get(h, '/health/ready');
        assertNotReady(res, 'store', 'StoreUnreachable');
        // No internals (driver messages, addresses) in the public answer.
        assert.doesNotMatch(res.body, /destroyed|ECONN|127\.0\.0\.1|Kysely/i);
        assert.equal((await get(h, '/health/live')).statusCode, 200);
      } finally {
        await h.app.close();
        await h.db.drop();
      }
    });
  });
}

for (const target of storeTargets) {
  describe(`answers while shutting down [${target.name}]`, { skip: target.skip }, () => {
    it('a request arriving while the app closes is 503 ServiceUnavailable in the error shape, with retry-after and Connection: close', async () => {
      const h = await createHarness(target);
      const sockets: RawSocket[] = [];
      try {
        const origin = await h.app.listen({ port: 0, host: '127.0.0.1' });
        // Requests begun before close (their headers not finished, so the connections are not idle
        // and stay open) and completed after it started: a probe, an operation, an unknown route.
        for (const url of ['/health/ready', '/itwins', '/no-such-route']) {
          const socket = new RawSocket(origin);
          await socket.connected;
          socket.write(`GET ${url} HTTP/1.1\r\nhost: x\r\n`);
          sockets.push(socket);
        }
        await sleep(50); // the server has read the partial headers
        const closed = h.app.close();
        await sleep(50);
        for (const socket of sockets) socket.write('\r\n');
        for (const socket of sockets) {
          await socket.closedWithin(5000);
          const { status, headers, body } = socket.response();
          assert.equal(status, 503, socket.text());
          assert.equal(headers['retry-after'], '1');
          assert.equal(headers.connection, 'close');
          assert.match(headers['content-type']!, /^application\/json/);
          const { error } = JSON.parse(body);
          assert.equal(error.code, 'ServiceUnavailable');
          assert.equal(typeof error.message, 'string');
        }
        await closed;
      } finally {
        for (const socket of sockets) socket.destroy();
        await h.app.close();
        await h.store.close();
        await h.db.drop();
      }
    });
  });
}

async function lastMigration(h: Harness): Promise<string> {
  const rows = await h.store.db.selectFrom('twinsync_migrations').select('name').orderBy('name', 'desc').execute();
  return rows[0]!.name;
}

/**
 * A TCP relay to PostgreSQL that the test can cut (closing every relayed connection and refusing
 * new ones) and restore on the same port: a database that becomes unreachable and comes back.
 */
class Relay {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async cut(): Promise<void> {
    const closed = new Promise((resolve) => this.server!.close(resolve));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

const postgres = storeTargets.find((t) => t.name === 'postgres')!;
describe('readiness when PostgreSQL becomes unreachable [postgres]', { skip: postgres.skip }, () => {
  let relay: Relay;
  let h: Harness;
  before(async () => {
    const url = new URL(process.env.TWINSYNC_TEST_DATABASE_URL!);
    relay = new Relay(await freePort(), { host: url.hostname, port: Number(url.port || 5432) });
    await relay.open();
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    h = await createHarness(postgres, { DATABASE_URL: url.toString() });
  });
  after(async () => {
    await relay.cut().catch(() => undefined);
    await relay.open();
    await h.close();
    await relay.cut();
  });

  it('answers 503 StoreUnreachable within a second while the database cannot be reached, and 200 again once it can', async () => {
    assert.equal((await get(h, '/health/ready')).statusCode, 200);
    await relay.cut();
    await sleep(REPORT_REUSE_MS);
    const started = Date.now();
    assertNotReady(await get(h, '/health/ready'), 'store', 'StoreUnreachable');
    assert.ok(Date.now() - started < 1000, `answered in ${Date.now() - started} ms`);
    await relay.open();
    await sleep(REPORT_REUSE_MS);
    const res = await get(h, '/health/ready');
    assert.equal(res.statusCode, 200, res.body);
  });
});

const sqlite = storeTargets.find((t) => t.name === 'sqlite')!;
describe('readiness with Redis configured (REDIS_URL)', { skip: redisServerMissing }, () => {
  let own: OwnRedis;
  let h: Harness;

  before(async () => {
    own = await OwnRedis.start();
    h = await createHarness(sqlite, { REDIS_URL: own.url, REDIS_KEY_PREFIX: 'p10-health:' });
  });
  after(async () => {
    await h.close();
    await own.stop();
  });

  it('checks Redis: 200 while it answers, 503 RedisUnreachable while it is down, 200 once it is back', async () => {
    const up = await get(h, '/health/ready');
    assert.equal(up.statusCode, 200, up.body);
    assert.equal(up.json().checks.redis, 'ok');

    await own.stop();
    await sleep(REPORT_REUSE_MS);
    assertNotReady(await get(h, '/health/ready'), 'redis', 'RedisUnreachable');

    await own.start();
    // ioredis reconnects on its own (at most 2 s between attempts).
    const deadline = Date.now() + 10_000;
    let res = await get(h, '/health/ready');
    while (res.statusCode !== 200 && Date.now() < deadline) {
      await sleep(200);
      res = await get(h, '/health/ready');
    }
    assert.equal(res.statusCode, 200, res.body);
  });
});
