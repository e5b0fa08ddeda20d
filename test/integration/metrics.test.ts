import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.js';
import { createIModel } from '../../src/domain/imodels/create-imodel.js';
import { createITwin } from '../../src/domain/itwins/create-itwin.js';
import { createFileWithContent } from '../../src/domain/storage/create-file-with-content.js';
import { startService, type RunningService } from '../../src/start.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { createMetrics, processMetrics, STORE_FIGURES_MAX_AGE_MS } from '../../src/metrics/metrics.js';
import { runEnv, runnableConnection, startRun } from '../helpers/runs.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';
import { LocalBlobStore } from '../../src/blobs/local-blob-store.js';

const SC = '/synchronization/imodels/storageconnections';
const ACCEPT = 'application/vnd.bentley.itwin-platform.v1+json';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of match[2]?.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g) ?? []) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when there is none. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.ok(found.length <= 1, `one ${name} ${JSON.stringify(labels)}, found ${found.length}`);
  return found[0]?.value;
}

const CONNECTORS = {
  default: {
    kind: 'emulate',
    durationMs: 0,
    outcomes: [
      { fileName: '*broken*', result: 'Error', errorCode: 'P10_BROKEN', message: 'cannot read the file', retryable: false },
      { fileName: '*flaky*', result: 'Flaky', failAttempts: 1, errorCode: 'P10_FLAKY' },
      { fileName: '*slow*', durationMs: 2500, result: 'Success' },
    ],
  },
};

for (const target of storeTargets) {
  describe(`metrics and run logs of a running service [${target.name}]`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let service: RunningService;
    const lines: Array<Record<string, any>> = [];
    let token: string;
    let iTwinId: string;
    let iModelId: string;
    const files: Record<string, string> = {};

    const call = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
      fetch(`${service.address}${url}`, {
        method,
        redirect: 'manual',
        headers: { authorization: `Bearer ${token}`, accept: ACCEPT, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body ? JSON.stringify(body) : undefined,
      });
    const scrape = async () => {
      const res = await fetch(`${service.address}/metrics`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
      return parse(await res.text());
    };
    const createConnection = async (names: string[]) => {
      const res = await call('POST', SC, {
        iModelId,
        sourceFiles: names.map((n) => ({ storageFileId: files[n], connectorType: 'IFC' })),
        authenticationType: 'Service',
      });
      assert.equal(res.status, 201, await res.clone().text());
      return ((await res.json()) as { connection: { id: string } }).connection.id;
    };
    const run = async (connectionId: string) => {
      const res = await call('POST', `${SC}/${connectionId}/run`);
      assert.equal(res.status, 202);
      return res.headers.get('location')!.split('/')[8]!;
    };
    const runOf = async (connectionId: string, runId: string) =>
      ((await (await call('GET', `${SC}/${connectionId}/runs/${runId}`)).json()) as { run: { state: string; result: string } }).run;
    const until = async (what: string, done: () => Promise<boolean>, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`${what}: not in time`);
        await sleep(20);
      }
    };

    before(async () => {
      db = await target.create();
      const config = loadConfig({
        DATA_DIR: db.dataDir,
        DATABASE_URL: db.databaseUrl,
        DATABASE_SCHEMA: db.schema,
        DATABASE_POOL_SIZE: '3',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'info',
        ...runEnv(CONNECTORS, { TASK_MAX_RETRIES: '2' }),
      });
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
      service = await startService(config, logger);
      // A token of the default client, as the start-up banner gives one.
      const client = service.issuer!.clients[0]!;
      token = (await service.issuer!.issue({ subject: client.subject, clientId: client.clientId, scopes: client.scopes })).token;
      const itwin = await createITwin(service.store, client.subject, { displayName: 'Metrics iTwin' });
      iTwinId = itwin.id;
      iModelId = (await createIModel(service.store, client.subject, { iTwinId, name: 'Metrics iModel' })).id;
      for (const name of ['a.ifc', 'b.ifc', 'flaky.ifc', 'broken.ifc', 'slow.ifc']) {
        files[name] = (
          await createFileWithContent(service.store, new LocalBlobStore(config.dataDir), client.subject, itwin, name, Buffer.from(`content of ${name}`))
        ).id;
      }
    });
    after(async () => {
      await service?.close();
      await db?.drop();
    });

    it('counts a create by operation, method and status, with its latency', async () => {
      await createConnection(['b.ifc']);
      const samples = await scrape();
      assert.equal(value(samples, 'twinsync_http_requests_total', { operation: 'create-storage-connection', method: 'POST', status: '201' }), 1);
      assert.equal(value(samples, 'twinsync_http_request_duration_seconds_count', { operation: 'create-storage-connection' }), 1);
      assert.ok(value(samples, 'twinsync_http_request_duration_seconds_sum', { operation: 'create-storage-connection' })! > 0);
      assert.equal(value(samples, 'twinsync_http_request_duration_seconds_bucket', { operation: 'create-storage-connection', le: '+Inf' }), 1);
      // Default process metrics come along.
      assert.ok(value(samples, 'process_cpu_seconds_total')! > 0);
    });

    it('counts unknown routes under operation "none", never their URL', async () => {
      assert.equal((await call('GET', '/no/such/route-p10')).status, 404);
      const samples = await scrape();
      assert.equal(value(samples, 'twinsync_http_requests_total', { operation: 'none', method: 'GET', status: '404' }), 1);
      assert.ok(!samples.some((s) => Object.values(s.labels).some((v) => v.includes('route-p10'))));
    });

    it('after a run: runs by state and result, task durations by connector type and result, and its log lines', async () => {
      const connectionId = await createConnection(['a.ifc', 'flaky.ifc', 'broken.ifc']);
      const runId = await run(connectionId);
      let ended: { state: string; result: string } | undefined;
      await until('run completed', async () => (ended = await runOf(connectionId, runId)).state === 'Completed');

      // The store's figures are reused for up to a second (STORE_FIGURES_MAX_AGE_MS): wait for fresh ones.
      let samples: Sample[] = [];
      await until('the run counted', async () => value((samples = await scrape()), 'twinsync_runs', { state: 'Completed', result: ended!.result }) === 1);
      assert.equal(value(samples, 'twinsync_run_queue_depth'), 0);
      assert.equal(value(samples, 'twinsync_worker_leases_held'), 0);
      // Emulated tasks start no process: none running, none waiting for one.
      assert.equal(value(samples, 'twinsync_worker_connector_processes', { state: 'running' }), 0);
      assert.equal(value(samples, 'twinsync_worker_connector_processes', { state: 'waiting' }), 0);
      const tasks = (result: string) => value(samples, 'twinsync_task_duration_seconds_count', { connector_type: 'IFC', result });
      assert.equal(tasks('Success'), 2, 'a.ifc, and flaky.ifc on its second attempt');
      assert.equal(tasks('Retry'), 1, 'flaky.ifc the first time');
      assert.equal(tasks('Error'), 1, 'broken.ifc');

      const retry = lines.find((l) => l.msg === 'task failed; retrying' && l.runId === runId);
      assert.ok(retry, 'a retry is logged');
      assert.equal(retry.level, 40);
      assert.equal(retry.errorCode, 'P10_FLAKY');
      assert.equal(retry.fileName, 'flaky.ifc');
      assert.equal(retry.attempt, 1);
      assert.equal(typeof retry.retryInMs, 'number');
      const failed = lines.find((l) => l.msg === 'task failed' && l.runId === runId);
      assert.ok(failed, 'a failure is logged');
      assert.equal(failed.level, 40);
      assert.equal(failed.errorCode, 'P10_BROKEN');
      assert.equal(failed.message, 'cannot read the file');

      const end = lines.filter((l) => l.msg === 'run ended' && l.runId === runId);
      assert.equal(end.length, 1, 'one line per run end');
      assert.equal(end[0]!.level, 40, 'a run that did not succeed ends at warn');
      assert.equal(end[0]!.result, ended!.result);
      assert.notEqual(end[0]!.result, 'Success');
      assert.equal(typeof end[0]!.durationMs, 'number');
      assert.ok(end[0]!.durationMs >= 0);
      assert.deepEqual(end[0]!.tasks, { total: 3, Success: 2, Error: 1 });
      assert.equal(end[0]!.firstError.errorCode, 'P10_BROKEN');
      assert.equal(end[0]!.firstError.fileName, 'broken.ifc');
    });

    it('a successful run ends at info; while one runs, it holds a lease and is counted as executing', async () => {
      const connectionId = await createConnection(['slow.ifc']);
      const runId = await run(connectionId);
      await until('run executing', async () => (await runOf(connectionId, runId)).state === 'Executing');
      let during: Sample[] = [];
      await until(
        'the run counted as executing',
        async () => value((during = await scrape()), 'twinsync_runs', { state: 'Executing', result: 'Undetermined' }) === 1,
      );
      assert.equal(value(during, 'twinsync_worker_leases_held'), 1);
      assert.equal(value(during, 'twinsync_run_queue_depth'), 0, 'the run is held, not queued');
      await until('run completed', async () => (await runOf(connectionId, runId)).state === 'Completed');
      const end = lines.find((l) => l.msg === 'run ended' && l.runId === runId);
      assert.ok(end);
      assert.equal(end.level, 30);
      assert.equal(end.result, 'Success');
      assert.deepEqual(end.tasks, { total: 1, Success: 1 });
      assert.equal(end.firstError, undefined);
      assert.equal(value(await scrape(), 'twinsync_worker_leases_held'), 0);

      // Run again with nothing changed: it ends at planning, and that end is logged too.
      const again = await run(connectionId);
      await until('second run completed', async () => (await runOf(connectionId, again)).state === 'Completed');
      await until('its end logged', async () => lines.some((l) => l.msg === 'run ended' && l.runId === again));
      const nothing = lines.find((l) => l.msg === 'run ended' && l.runId === again)!;
      assert.equal(nothing.result, 'Success');
      assert.deepEqual(nothing.tasks, { total: 0 });
    });

    it('reports the store pool on PostgreSQL (in use, idle, waiting), and no pool on SQLite', async () => {
      const samples = await scrape();
      const inUse = value(samples, 'twinsync_store_pool_connections', { state: 'in_use' });
      const idle = value(samples, 'twinsync_store_pool_connections', { state: 'idle' });
      const waiting = value(samples, 'twinsync_store_pool_waiting');
      if (target.name === 'postgres') {
        assert.equal(inUse! + idle!, 3, 'DATABASE_POOL_SIZE connections, opened at start');
        // The workers' polls may be waiting at this very moment: a count, not necessarily 0.
        assert.ok(Number.isInteger(waiting) && waiting! >= 0, `waiting ${waiting}`);
      } else {
        assert.equal(inUse, undefined);
        assert.equal(waiting, undefined);
      }
    });

    it('its readiness includes the in-process worker', async () => {
      const res = await fetch(`${service.address}/health/ready`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ready', checks: { store: 'ok', migrations: 'ok', worker: 'ok' } });
    });

    it('does not log probes and scrapes at info, while it logs operations', async () => {
      const before = lines.length;
      await fetch(`${service.address}/health/live`);
      await fetch(`${service.address}/metrics`);
      await call('GET', '/itwins');
      await sleep(50);
      const logged = lines
        .slice(before)
        .filter((l) => l.msg === 'request completed')
        .map((l) => l.url);
      assert.deepEqual(logged, ['/itwins']);
    });

    it('a stopped worker makes it not ready (503 WorkerNotRunning)', async () => {
      await service.worker!.stop(1000);
      await sleep(600);
      const res = await fetch(`${service.address}/health/ready`);
      assert.equal(res.status, 503);
      const { error } = (await res.json()) as { error: { code: string; details: Array<{ code: string; target: string }> } };
      assert.equal(error.code, 'NotReady');
      assert.deepEqual(
        error.details.map((d) => [d.target, d.code]),
        [['worker', 'WorkerNotRunning']],
      );
      assert.ok(
        lines.some((l) => l.msg === 'not ready' && l.level === 40),
        'the change is logged at warn',
      );
    });
  });
}

onEveryStore('metrics of many apps in one process', { env: runEnv() }, ({ h }) => {
  it('collects the process figures once per process, and serves them with each app\u2019s own', async () => {
    const made = Array.from({ length: 5 }, () => createMetrics(h.store));
    for (const metrics of made) {
      // Not in the app's registry (each would start its own GC observer and event-loop monitor)…
      assert.equal(metrics.registry.getSingleMetric('process_cpu_seconds_total'), undefined);
      assert.equal(metrics.registry.getSingleMetric('nodejs_eventloop_lag_seconds'), undefined);
      // …but in every scrape, once, next to the app's own.
      const samples = parse(await metrics.scrape());
      assert.ok(value(samples, 'process_cpu_seconds_total')! > 0);
      assert.equal(typeof value(samples, 'nodejs_eventloop_lag_seconds'), 'number');
      assert.equal(value(samples, 'twinsync_worker_leases_held'), 0);
    }
    assert.equal(processMetrics(), processMetrics(), 'one registry of process figures');
    assert.ok(processMetrics().getSingleMetric('process_cpu_seconds_total'));
  });

  it('reads runs and queue depth from the store at most once a second, shared by concurrent scrapes', async () => {
    let clock = 1_000_000;
    const metrics = createMetrics(h.store, { now: () => clock });
    const depth = async () => value(parse(await metrics.scrape()), 'twinsync_run_queue_depth');
    const queuedBefore = await depth();
    const { connectionId } = await runnableConnection(h, ['queued.ifc']);
    assert.equal((await startRun(h, connectionId)).statusCode, 202); // no worker here: it stays queued
    clock += STORE_FIGURES_MAX_AGE_MS - 1;
    assert.equal(await depth(), queuedBefore, 'younger than a second: reused');
    clock += 1;
    const concurrent = await Promise.all(Array.from({ length: 10 }, depth));
    assert.deepEqual(concurrent, Array(10).fill(queuedBefore! + 1), 'a second old: read again, once for all');
  });
});

onEveryStore('metrics switched off', { env: { METRICS: 'off' } }, ({ h }) => {
  it('GET /metrics is 404 in the error shape', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'NotFound');
    assert.equal(typeof res.json().error.message, 'string');
  });
});

const METRICS_TOKEN = 'p10-metrics-token-0123456789abcdef';
onEveryStore('metrics behind a token', { env: { METRICS_TOKEN } }, ({ h }) => {
  const scrape = (authorization?: string) => h.app.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } });

  it('answers 401 HeaderNotFound without a token, with a Bearer challenge', async () => {
    const res = await scrape();
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'HeaderNotFound');
    assert.match(String(res.headers['www-authenticate']), /^Bearer/);
  });

  it('answers 401 InvalidToken for a wrong token, one of another length, or an OAuth token of the service', async () => {
    for (const wrong of [METRICS_TOKEN.replace(/.$/, 'X'), `${METRICS_TOKEN}0`, 'short', await h.token()]) {
      const res = await scrape(`Bearer ${wrong}`);
      assert.equal(res.statusCode, 401, wrong);
      assert.equal(res.json().error.code, 'InvalidToken');
    }
  });

  it('answers 401 InvalidAuthorizationScheme for another scheme', async () => {
    const res = await scrape(`Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}`);
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'InvalidAuthorizationScheme');
  });

  it('answers 200 with the right token', async () => {
    const res = await scrape(`Bearer ${METRICS_TOKEN}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^# HELP /m);
    assert.match(res.body, /twinsync_http_requests_total\{operation="get-metrics",method="GET",status="401"\} \d+/);
  });

  it('documents the bearer requirement in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.deepEqual(doc.paths['/metrics'].get.security, [{ bearer: [] }]);
  });
});
