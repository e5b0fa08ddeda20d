import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RawSocket } from '../helpers/raw-socket.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

/**
 * `npm run worker` has no API; with WORKER_HEALTH_PORT it serves the probes and the metrics of its
 * own worker (task durations and leases are known to that process only).
 */
for (const target of storeTargets) {
  describe(`a worker-only process with WORKER_HEALTH_PORT [${target.name}]`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let worker: ServerProcess;
    let base: string;

    before(async () => {
      db = await target.create();
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      worker = await startServerProcess(
        { DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, DATABASE_SCHEMA: db.schema, WORKER_HEALTH_PORT: String(port) },
        ['worker'],
        'twinsync worker running',
      );
    });
    after(async () => {
      if (worker?.child.exitCode === null) worker.child.kill('SIGKILL');
      await db?.drop();
    });

    it('says where its health server listens', () => {
      const line = worker
        .output()
        .split('\n')
        .find((l) => l.includes('twinsync worker running'))!;
      assert.equal(JSON.parse(line).health, base);
    });

    it('answers /health/live and /health/ready, checking its worker', async () => {
      const live = await fetch(`${base}/health/live`);
      assert.equal(live.status, 200);
      const ready = await fetch(`${base}/health/ready`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', checks: { store: 'ok', migrations: 'ok', worker: 'ok' } });
    });

    it('serves its metrics: leases held, queue depth, process figures', async () => {
      const res = await fetch(`${base}/metrics`);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /^twinsync_worker_leases_held 0$/m);
      assert.match(text, /^twinsync_worker_connector_processes\{state="running"\} 0$/m);
      assert.match(text, /^twinsync_worker_connector_processes\{state="waiting"\} 0$/m);
      assert.match(text, /^twinsync_run_queue_depth 0$/m);
      assert.match(text, /^# TYPE twinsync_task_duration_seconds histogram$/m);
      assert.match(text, /^process_cpu_seconds_total \d/m);
    });

    it('serves nothing of the API: other paths are 404 in the error shape', async () => {
      const res = await fetch(`${base}/itwins`);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'NotFound');
    });

    it('answers what the router or the HTTP parser refuses in the error shape, without echoing the request', async () => {
      const badUrl = await fetch(`${base}/health/%ZZ`);
      assert.equal(badUrl.status, 400);
      const text = await badUrl.text();
      assert.equal((JSON.parse(text) as { error: { code: string } }).error.code, 'InvalidUrl');
      assert.doesNotMatch(text, /%ZZ/);

      const socket = new RawSocket(base);
      await socket.connected;
      socket.write(`GET /health/live HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\nx-echo: marker-in-header\r\n\r\n`);
      await socket.closedWithin(5000);
      assert.equal(socket.status(), 431, socket.text().slice(0, 200));
      assert.equal((JSON.parse(socket.response().body) as { error: { code: string } }).error.code, 'RequestHeaderFieldsTooLarge');
      assert.doesNotMatch(socket.text(), /marker-in-header/);
    });

    it('stops on SIGTERM with its health server', async () => {
      worker.child.kill('SIGTERM');
      assert.equal(await worker.exited, 0);
      await assert.rejects(fetch(`${base}/health/live`));
    });
  });
}
