import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { deploymentIssuer } from '../helpers/deployment-clients.js';
import { loadConfig } from '../../src/config.js';
import { createIModel } from '../../src/domain/imodels/create-imodel.js';
import { createITwin } from '../../src/domain/itwins/create-itwin.js';
import { createFileWithContent } from '../../src/domain/storage/create-file-with-content.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { LocalBlobStore } from '../../src/blobs/local-blob-store.js';

const baseUrl = process.env.TWINSYNC_TEST_DATABASE_URL?.trim();
const ROUNDS = 10;
const LOAD_CONNECTIONS = 6;
const RUNS = 6;
const SC = '/synchronization/imodels/storageconnections';

/**
 * PostgreSQL closes connections under a running service (a restart, a failover, an operator's
 * pg_terminate_backend): the API process and a worker process, both on the database, each see all
 * their backends terminated ten times under a create load and with runs in progress. Neither may
 * exit; requests on a dead connection answer 503 in the error shape with retry-after; the API
 * answers again within a second of each round; every 201 is in the database afterwards; and every
 * run completes, kept by the worker that claimed it.
 *
 * Other test files share the database of TWINSYNC_TEST_DATABASE_URL, so this one creates a
 * database of its own and terminates only that database's backends.
 */
describe('acceptance: PostgreSQL backends terminated under load', { skip: baseUrl ? undefined : 'TWINSYNC_TEST_DATABASE_URL is not set' }, () => {
  const database = `twinsync_fault_${randomBytes(5).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-pgterm-'));
  const databaseUrl = (() => {
    const url = new URL(baseUrl ?? 'postgres://localhost/x');
    url.pathname = `/${database}`;
    return url.toString();
  })();
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '4',
    PUBLIC_URL: 'http://twinsync.test',
    RATE_LIMIT_MAX: '1000000000',
    LOG_LEVEL: 'info',
    CONNECTORS: JSON.stringify({ default: { kind: 'emulate', durationMs: 600 } }),
    WORKER_LEASE_MS: '6000',
    WORKER_POLL_MS: '100',
    WORKER_CONCURRENCY: '2',
  };
  let admin: pg.Client;
  const processes: ServerProcess[] = [];

  before(async () => {
    admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database "${database}"`);
  });
  after(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await admin.query(`drop database if exists "${database}" with (force)`);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the API and a worker survive 10 rounds, lose no 201 and finish their runs', async () => {
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
    const issuer = await deploymentIssuer(env, config.auth);
    const client = issuer.clients[0]!;
    const { token } = await issuer.issue({ subject: client.subject, clientId: client.clientId, scopes: ['itwin-platform'] });

    // Runs to be worked on while the connections go: one storage connection per run, two files each.
    const connectionIds: string[] = [];
    const store = await Store.open({ databaseUrl, schema: 'public' });
    const iModelIds: string[] = [];
    const fileIds: string[] = [];
    try {
      const itwin = await createITwin(store, client.subject, { displayName: 'faults' });
      // One iModel per run: an iModel has one run at a time.
      for (let i = 0; i < RUNS; i++) iModelIds.push((await createIModel(store, client.subject, { iTwinId: itwin.id, name: `faults ${i}` })).id);
      for (let i = 0; i < RUNS * 2; i++)
        fileIds.push((await createFileWithContent(store, new LocalBlobStore(dataDir), client.subject, itwin, `f${i}.ifc`, Buffer.from(`f${i}`))).id);
    } finally {
      await store.close();
    }

    const api = await startServerProcess(env, ['serve', '--no-worker']);
    processes.push(api);
    const worker = await startServerProcess(env, ['worker'], 'worker started');
    processes.push(worker);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    for (let i = 0; i < RUNS; i++) {
      const res = await fetch(`${api.url}${SC}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          iModelId: iModelIds[i],
          authenticationType: 'Service',
          sourceFiles: fileIds.slice(2 * i, 2 * i + 2).map((storageFileId) => ({ storageFileId, connectorType: 'IFC' })),
        }),
      });
      const text = await res.text();
      assert.equal(res.status, 201, text);
      connectionIds.push((JSON.parse(text) as { connection: { id: string } }).connection.id);
    }
    const runUrls: string[] = [];
    for (const id of connectionIds) {
      const res = await fetch(`${api.url}${SC}/${id}/run`, { method: 'POST', headers: { authorization: headers.authorization }, redirect: 'manual' });
      assert.equal(res.status, 202);
      await res.arrayBuffer();
      runUrls.push(new URL(res.headers.get('location')!).pathname);
    }

    // Create load: every 201 is remembered, every 503 must be in shape.
    const created: string[] = [];
    const unexpected: string[] = [];
    let unavailable = 0;
    let stop = false;
    let n = 0;
    const loop = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${api.url}/itwins`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ displayName: `load ${n++}`, class: 'Endeavor', subClass: 'Project' }),
          });
          const text = await res.text();
          if (res.status === 201) created.push((JSON.parse(text) as { iTwin: { id: string } }).iTwin.id);
          else if (res.status === 503) {
            unavailable++;
            const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
            if (body.error?.code !== 'ServiceUnavailable' || !/^\d+$/.test(res.headers.get('retry-after') ?? '')) {
              unexpected.push(`503 out of shape: ${text} retry-after=${res.headers.get('retry-after')}`);
            }
          } else unexpected.push(`${res.status} ${text}`);
        } catch (error) {
          unexpected.push(`request failed: ${(error as Error).message}`);
          await sleep(50);
        }
      }
    };
    const loops = Array.from({ length: LOAD_CONNECTIONS }, () => loop());

    const recoveries: number[] = [];
    let terminated = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await sleep(300);
        const result = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
        terminated += result.rowCount ?? 0;
        const start = Date.now();
        // Serving again: a read that goes to the database answers 200.
        for (;;) {
          assert.equal(api.child.exitCode, null, `the API process exited in round ${round + 1}: ${api.errors().slice(-3000)}${api.output().slice(-2000)}`);
          assert.equal(
            worker.child.exitCode,
            null,
            `the worker process exited in round ${round + 1}: ${worker.errors().slice(-3000)}${worker.output().slice(-2000)}`,
          );
          const res = await fetch(`${api.url}/itwins?$top=1`, { headers: { authorization: headers.authorization } }).catch(() => undefined);
          await res?.arrayBuffer();
          if (res?.status === 200) break;
          if (Date.now() - start > 10_000) assert.fail(`the API did not serve again in round ${round + 1}`);
          await sleep(10);
        }
        recoveries.push(Date.now() - start);
      }
    } finally {
      stop = true;
      await Promise.all(loops);
    }
    console.log(
      `terminated ${terminated} backends in ${ROUNDS} rounds; ${created.length} creates acknowledged, ${unavailable} answered 503; ` +
        `serving again after ${recoveries.join(', ')} ms`,
    );
    assert.equal(api.child.exitCode, null, 'the API process is alive');
    assert.equal(worker.child.exitCode, null, 'the worker process is alive');
    assert.deepEqual(unexpected, []);
    assert.ok(terminated >= ROUNDS * 2, `backends were terminated (${terminated})`);
    assert.ok(Math.max(...recoveries) < 1000, `serving again within a second of each round (${recoveries.join(', ')} ms)`);
    assert.ok(created.length > 0);

    // Every run completes, with success, and without being taken over after a lost lease.
    for (const url of runUrls) {
      for (let i = 0; ; i++) {
        const res = await fetch(`${api.url}${url}`, { headers: { authorization: headers.authorization } });
        const body = (await res.json()) as { run: { state: string; result: string } };
        if (body.run.state === 'Completed') {
          assert.equal(body.run.result, 'Success', JSON.stringify(body));
          break;
        }
        assert.ok(i < 600, `run ${url} completed (state ${body.run.state})`);
        await sleep(100);
      }
    }
    assert.equal(worker.child.exitCode, null, 'the worker process is alive');

    const check = await Store.open({ databaseUrl, schema: 'public' });
    try {
      const ids = new Set((await check.db.selectFrom('itwins').select('id').execute()).map((r) => r.id));
      const lost = created.filter((id) => !ids.has(id));
      assert.deepEqual(lost, [], `${lost.length} of ${created.length} acknowledged creates lost`);
      const runs = await check.db.selectFrom('runs').select(['id', 'claims']).execute();
      assert.equal(runs.length, RUNS);
      const claims = runs.reduce((sum, r) => sum + r.claims, 0);
      console.log(`runs claimed ${claims} times for ${RUNS} runs`);
      // A claim whose COMMIT was cut off may have committed without the worker knowing: that run is
      // claimed again once its lease expires. Anything more means runs were given up.
      assert.ok(claims <= RUNS + 1, `the worker kept its runs (${claims} claims for ${RUNS} runs)`);
    } finally {
      await check.close();
    }

    for (const p of [api, worker]) p.child.kill('SIGTERM');
    assert.equal(await api.exited, 0, 'the API stops gracefully');
    assert.equal(await worker.exited, 0, 'the worker stops gracefully');
  });
});
