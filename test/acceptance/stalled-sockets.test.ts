import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { prepare } from '../../bench/prepare.js';
import { head, RawSocket } from '../helpers/raw-socket.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

const STALLED = 2000;
const HEADERS_MS = 10_000;
const BODY_IDLE_MS = 10_000;
const SAMPLES = 30;

/** One GET on a connection of its own (as a new client would), its time in ms. */
function timedGet(url: string, token: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

async function latencies(url: string, token: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) times.push(await timedGet(url, token));
  return times.sort((a, b) => a - b);
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)]!;
const p90 = (sorted: number[]) => sorted[Math.floor(sorted.length * 0.9)]!;

/**
 * The service as `npm start` runs it, with 2,000 connections that stall: a third send nothing, a
 * third part of their headers, a third their headers and part of a JSON body. Normal requests on new
 * connections keep being answered about as fast as without them, and the server closes every
 * stalled connection after its time limit (shortened here; the defaults are tens of seconds).
 */
for (const target of storeTargets) {
  describe(`acceptance: 2,000 stalled sockets [${target.name}]`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let server: ServerProcess | undefined;
    let env: Record<string, string>;
    const sockets: RawSocket[] = [];
    before(async () => {
      db = await target.create();
      env = {
        DATA_DIR: db.dataDir,
        DATABASE_URL: db.databaseUrl,
        DATABASE_SCHEMA: db.schema,
        PUBLIC_URL: 'http://twinsync.test', // the token is issued before the server has a port
        RATE_LIMIT_MAX: '1000000000',
        HEADERS_TIMEOUT_MS: String(HEADERS_MS),
        BODY_IDLE_TIMEOUT_MS: String(BODY_IDLE_MS),
        LOG_LEVEL: 'warn',
      };
    });
    after(async () => {
      for (const socket of sockets) socket.destroy();
      if (server?.child.exitCode === null) server.child.kill('SIGKILL');
      await db?.drop();
    });

    it('answers normal requests while they stall, and closes every one of them after its time limit', async () => {
      const prepared = await prepare(env, 1, path.join(db.dataDir, 'ids.txt'));
      server = await startServerProcess(env, ['serve', '--no-worker']);
      const url = `${server.url}/itwins`;
      await latencies(url, prepared.token); // warm-up: first compilations, pool connections
      const quiet = await latencies(url, prepared.token);

      const opened = Date.now();
      for (let start = 0; start < STALLED; start += 200) {
        const batch: RawSocket[] = [];
        for (let i = start; i < Math.min(STALLED, start + 200); i++) batch.push(new RawSocket(server.url));
        await Promise.all(batch.map((socket) => socket.connected));
        batch.forEach((socket, n) => {
          const kind = (start + n) % 3;
          if (kind === 1) socket.write('GET /itwins HTTP/1.1\r\nhost: twinsync.test\r\nauthoriza');
          if (kind === 2) {
            socket.write(head('POST', '/itwins', { authorization: `Bearer ${prepared.token}`, 'content-type': 'application/json', 'content-length': 500 }));
            socket.write('{"displayName":"never fin');
          }
        });
        sockets.push(...batch);
      }
      const allOpen = Date.now() - opened;
      const stalled = await latencies(url, prepared.token);
      const stillOpen = sockets.filter((socket) => socket.closedAt === undefined).length;
      assert.equal(stillOpen, STALLED, `measured while the sockets stalled (opened in ${allOpen} ms, measured by ${Date.now() - opened} ms)`);
      console.log(
        `[${target.name}] GET /itwins on a new connection, ms: median ${median(quiet).toFixed(1)} → ${median(stalled).toFixed(1)}, ` +
          `p90 ${p90(quiet).toFixed(1)} → ${p90(stalled).toFixed(1)} with ${stillOpen} stalled connections open`,
      );
      // Generous: a loaded two-core machine, and 2,000 sockets in the test process itself.
      assert.ok(median(stalled) < Math.max(5 * median(quiet), median(quiet) + 100), `median ${median(stalled)} ms vs ${median(quiet)} ms`);
      assert.ok(p90(stalled) < Math.max(5 * p90(quiet), p90(quiet) + 250), `p90 ${p90(stalled)} ms vs ${p90(quiet)} ms`);

      // Every stalled connection is closed by the server after its limit (plus Node's check interval
      // and a loaded machine's slack), not held until the client gives up.
      const deadline = opened + allOpen + Math.max(HEADERS_MS, BODY_IDLE_MS) + 6000;
      await Promise.all(sockets.map((socket) => socket.closedWithin(Math.max(0, deadline - Date.now()))));
      const byStatus = new Map<string, number>();
      for (const socket of sockets) byStatus.set(String(socket.status() ?? 'none'), (byStatus.get(String(socket.status() ?? 'none')) ?? 0) + 1);
      console.log(
        `[${target.name}] all ${STALLED} closed within ${Math.max(...sockets.map((s) => s.closedAt!)) - opened} ms; answers: ${JSON.stringify(Object.fromEntries(byStatus))}`,
      );
      for (const socket of sockets) if (socket.status() !== undefined) assert.equal(socket.status(), 408, socket.text());
      assert.ok(await timedGet(url, prepared.token));
    });
  });
}
