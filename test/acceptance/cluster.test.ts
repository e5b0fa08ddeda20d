import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { buildService, freePort, ROOT } from '../helpers/server-process.js';
import { startS3Server, type S3Server } from '../helpers/s3-server.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

const DATABASE = process.env.TWINSYNC_TEST_DATABASE_URL;
const REDIS = process.env.TWINSYNC_TEST_REDIS_URL;
const skip = !DATABASE
  ? 'the cluster runs on PostgreSQL: TWINSYNC_TEST_DATABASE_URL is not set'
  : !REDIS
    ? 'the cluster uses Redis: TWINSYNC_TEST_REDIS_URL is not set'
    : undefined;

const SC = '/synchronization/imodels/storageconnections';
/** The rate limit of the test's processes: low enough to reach, high enough for the flow. */
const RATE_LIMIT = 1500;

/** The README's scale-out block: the sh block of "Runs and workers" that starts `npm run worker`. */
function recipe(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Runs and workers'));
  const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).find((text) => text.includes('npm run worker'));
  assert.ok(block, 'the Runs and workers section has the scale-out sh block');
  return block;
}

async function ready(url: string): Promise<boolean> {
  return fetch(url).then(
    (res) => res.status === 200,
    () => false,
  );
}

type Answer = { status: number; headers: Headers; json: any };

/**
 * A cluster as the README's scale-out section starts it, run verbatim (pointed at the test's
 * PostgreSQL schema, Redis key prefix, an s3rver bucket, free ports and fresh folders): two API
 * processes and two workers, each with its own empty DATA_DIR; nothing shared but PostgreSQL,
 * Redis and the object store. A client then goes through the quickstart's flow alternating
 * processes, creates race on both, runs are requested on both and executed exactly once each, one
 * rate limit holds across both, and a worker killed mid-task has its run finished by the other.
 */
describe('acceptance: a cluster of two API processes and two workers, each with its own DATA_DIR', { skip, timeout: 300_000 }, () => {
  let db: TestDatabase;
  let s3: S3Server;
  let shell: ChildProcess | undefined;
  let output = '';
  const apis: string[] = [];
  const dataDirs: string[] = [];
  let env: NodeJS.ProcessEnv;
  let pool: pg.Pool;

  before(async () => {
    await buildService(); // npm start's prestart then finds dist/ current
    db = await storeTargets.find((target) => target.name === 'postgres')!.create();
    s3 = await startS3Server();
    const settings = s3.settings('');
    const ports = [await freePort(), await freePort()];
    apis.push(`http://localhost:${ports[0]}`, `http://localhost:${ports[1]}`);
    for (const name of ['a', 'b', 'c', 'd']) dataDirs.push(fs.mkdtempSync(path.join(os.tmpdir(), `twinsync-cluster-${name}-`)));
    const prefix = `cluster-${randomBytes(4).toString('hex')}`;
    let script = recipe()
      .replace(/DATABASE_URL=\S+/, `DATABASE_URL=${DATABASE}`)
      .replace(/REDIS_URL=\S+/, `REDIS_URL=${REDIS}`)
      .replace(/BLOB_STORE_URL=\S+/, `BLOB_STORE_URL=s3://${settings.bucket}/${prefix}`)
      .replace(/S3_ENDPOINT=\S+/, `S3_ENDPOINT=${settings.endpoint}`)
      .replace(/S3_ACCESS_KEY_ID=\S+/, `S3_ACCESS_KEY_ID=${settings.accessKeyId}`)
      .replace(/S3_SECRET_ACCESS_KEY=\S+/, `S3_SECRET_ACCESS_KEY=${settings.secretAccessKey}`)
      .replaceAll('localhost:3000', `localhost:${ports[0]}`)
      .replaceAll('PORT=3000', `PORT=${ports[0]}`)
      .replaceAll('PORT=3001', `PORT=${ports[1]}`);
    ['a', 'b', 'c', 'd'].forEach((name, i) => {
      script = script.replaceAll(`DATA_DIR=./data-${name}`, `DATA_DIR=${dataDirs[i]}`);
    });
    assert.doesNotMatch(script, /3000|3001|\.\/data|minio|9000/, 'every address, folder and credential of the recipe is replaced');
    env = {
      ...process.env,
      DATABASE_SCHEMA: db.schema,
      REDIS_KEY_PREFIX: `twinsync-test-${randomBytes(6).toString('hex')}:`,
      NODE_ENV: 'production',
      // What the test adds: quick polls and lease take-over, emulated connectors (MSTN slow, to be
      // killed mid-task), a rate limit it can reach.
      WORKER_POLL_MS: '50',
      WORKER_LEASE_MS: '3000',
      CONNECTORS: JSON.stringify({ default: { kind: 'emulate', durationMs: 20 }, types: { MSTN: { kind: 'emulate', durationMs: 2500 } } }),
      RATE_LIMIT_MAX: String(RATE_LIMIT),
    };
    for (const name of ['PORT', 'PUBLIC_URL', 'DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'HOST', 'BLOB_STORE_URL', 'S3_ENDPOINT']) delete env[name];
    shell = spawn('bash', ['-e', '-c', `${script}\nwait`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    shell.stdout!.on('data', (chunk) => (output += chunk));
    shell.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 90_000;
    while (!((await ready(`${apis[0]}/health/ready`)) && (await ready(`${apis[1]}/health/ready`)))) {
      assert.equal(shell.exitCode, null, `the recipe stopped: ${output}`);
      assert.ok(Date.now() < deadline, `the API processes did not get ready within 90 s: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // Both workers started (each says so once).
    for (let i = 0; (output.match(/worker started/g) ?? []).length < 2; i++) {
      assert.ok(i < 600, `two workers did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    pool = new pg.Pool({ connectionString: DATABASE, max: 2, options: `-c search_path=${db.schema}` });
  });

  after(async () => {
    if (shell?.pid && shell.exitCode === null) {
      const exited = new Promise((resolve) => shell!.once('exit', resolve));
      process.kill(-shell.pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-shell!.pid!, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await pool?.end();
    await s3?.close();
    await db?.drop();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The default client's secret, as the README's quickstart reads it (from the deployment's database). */
  async function secretOf(clientId: string): Promise<string> {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'clients', '--', 'secret', clientId], {
      cwd: ROOT,
      env: { ...env, DATABASE_URL: DATABASE, DATA_DIR: dataDirs[0] },
    });
    return stdout.trim();
  }

  async function tokenFrom(api: string, clientId: string, secret: string): Promise<string> {
    const res = await fetch(`${api}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
      body: 'grant_type=client_credentials&scope=itwin-platform',
    });
    assert.equal(res.status, 200, await res.clone().text());
    return ((await res.json()) as { access_token: string }).access_token;
  }

  /** A call to `api`; an href of the other process (PUBLIC_URL is the first's) is sent to `api`. */
  async function call(api: string, token: string, method: string, url: string, body?: unknown): Promise<Answer> {
    const target = url.startsWith('http') ? `${api}${new URL(url).pathname}${new URL(url).search}` : `${api}${url}`;
    const res = await fetch(target, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
  }

  const query = async <T>(text: string, values: unknown[] = []): Promise<T[]> => (await pool.query(text, values)).rows as T[];

  async function waitForRun(api: string, token: string, location: string, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { json } = await call(api, token, 'GET', location);
      if (json.run.state === 'Completed') return json.run;
      assert.ok(Date.now() < deadline, `run not completed in time: ${JSON.stringify(json.run)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  let token: string[] = [];
  let iTwinId = '';
  const fileIds: string[] = [];

  it('the quickstart flow, alternating processes: tokens, iTwin, iModel, 20 files uploaded through one and completed through the other', async () => {
    const secret = await secretOf('twinsync-local');
    token = [await tokenFrom(apis[0]!, 'twinsync-local', secret), await tokenFrom(apis[1]!, 'twinsync-local', secret)];
    const itwin = await call(apis[1]!, token[0]!, 'POST', '/itwins', { displayName: 'Cluster', class: 'Endeavor', subClass: 'Project' });
    assert.equal(itwin.status, 201, JSON.stringify(itwin.json));
    iTwinId = itwin.json.iTwin.id;
    const top = await call(apis[0]!, token[1]!, 'GET', `/storage/?iTwinId=${iTwinId}`);
    const rootFolderId = top.json._links.folder.href.split('/').pop();
    for (let i = 0; i < 20; i++) {
      const [one, other] = i % 2 === 0 ? [0, 1] : [1, 0];
      const created = await call(apis[one]!, token[one]!, 'POST', `/storage/folders/${rootFolderId}/files`, { displayName: `part-${i}.ifc` });
      assert.equal(created.status, 202, JSON.stringify(created.json));
      const { uploadUrl, completeUrl } = created.json._links;
      const put = await fetch(`${apis[one]}${new URL(uploadUrl.href).pathname}${new URL(uploadUrl.href).search}`, {
        method: 'PUT',
        headers: { 'x-ms-blob-type': 'BlockBlob' },
        body: `ISO-10303-21;\n/* part ${i} */\nEND-ISO-10303-21;\n`,
      });
      assert.equal(put.status, 201);
      const done = await call(apis[other]!, token[other]!, 'POST', completeUrl.href);
      assert.equal(done.status, 200, `completed through the other process: ${JSON.stringify(done.json)}`);
      fileIds.push(done.json.file.id);
    }
    // The content is in the object store, not in any process's folder.
    for (const dir of dataDirs) assert.equal(fs.existsSync(path.join(dir, 'blobs')), false, `${dir} holds no file content`);
    const stored = await query<{ n: string }>('select count(*) as n from storage_files where content_version = 1');
    assert.equal(Number(stored[0]!.n), 20);
  });

  it('200 concurrent creates over 20 files on both processes: exactly 20 connections and 180 409s', async () => {
    const imodel = await call(apis[0]!, token[1]!, 'POST', '/imodels', { iTwinId, name: 'Cluster races' });
    assert.equal(imodel.status, 201);
    const iModelId = imodel.json.iModel.id;
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        call(apis[i % 2]!, token[i % 2]!, 'POST', SC, {
          iModelId,
          authenticationType: 'Service',
          sourceFiles: [{ storageFileId: fileIds[i % 20], connectorType: 'IFC' }],
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 201).length, 20, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 180);
    const rows = await query<{ n: string }>('select count(*) as n from storage_connections where imodel_id = $1', [iModelId]);
    assert.equal(Number(rows[0]!.n), 20);
  });

  it('100 runs requested across both processes are executed exactly once each, by both workers', async () => {
    const connections: string[] = [];
    for (let i = 0; i < 100; i++) {
      const api = i % 2;
      const imodel = await call(apis[api]!, token[api]!, 'POST', '/imodels', { iTwinId, name: `Cluster run ${i}` });
      assert.equal(imodel.status, 201);
      const created = await call(apis[1 - api]!, token[1 - api]!, 'POST', SC, {
        iModelId: imodel.json.iModel.id,
        authenticationType: 'Service',
        sourceFiles: [{ storageFileId: fileIds[i % 20], connectorType: 'IFC' }],
      });
      assert.equal(created.status, 201);
      connections.push(created.json.connection.id);
    }
    const started = await Promise.all(connections.map((id, i) => call(apis[i % 2]!, token[i % 2]!, 'POST', `${SC}/${id}/run`)));
    assert.deepEqual(
      started.map((s) => s.status),
      connections.map(() => 202),
    );
    const deadline = Date.now() + 120_000;
    for (;;) {
      const open = await query<{ n: string }>(`select count(*) as n from runs where connection_id = any($1) and state <> 'Completed'`, [connections]);
      if (Number(open[0]!.n) === 0) break;
      assert.ok(Date.now() < deadline, `runs left: ${open[0]!.n}\n${output.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const runs = await query<{ id: string; result: string }>('select id, result from runs where connection_id = any($1)', [connections]);
    assert.equal(runs.length, 100);
    assert.deepEqual(new Set(runs.map((r) => r.result)), new Set(['Success']));
    // Exactly once: one task each, one changeset each, one synchronized file each.
    const changesets = await query<{ run_id: string; n: string }>('select run_id, count(*) as n from changesets where run_id = any($1) group by run_id', [
      runs.map((r) => r.id),
    ]);
    assert.equal(changesets.length, 100);
    assert.ok(
      changesets.every((c) => Number(c.n) === 1),
      'one changeset per run',
    );
    const tasks = await query<{ n: string }>('select count(*) as n from run_tasks where run_id = any($1)', [runs.map((r) => r.id)]);
    assert.equal(Number(tasks[0]!.n), 100);
    // Both workers took part: each logs the runs it finished with its owner id.
    const ended = output.split('\n').filter((line) => line.includes('"msg":"run ended"'));
    const workers = new Set(ended.map((line) => /"worker":"([^"]+)"/.exec(line)?.[1]));
    assert.ok(workers.size >= 2, `both workers ran tasks (saw ${[...workers].join(', ')})`);
    // And read from either API process, a run is the same.
    const one = await call(apis[0]!, token[0]!, 'GET', `${SC}/${connections[1]}/runs`);
    const two = await call(apis[1]!, token[1]!, 'GET', `${SC}/${connections[1]}/runs`);
    assert.deepEqual(one.json.runs, two.json.runs);
  });

  it(`one rate limit across both processes: ${RATE_LIMIT} requests of a caller admitted, the next refused on either`, async () => {
    // A caller of its own, so that nothing else the test did counts against it.
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'clients', '--', 'add', 'cluster-limits'], {
      cwd: ROOT,
      env: { ...env, DATABASE_URL: DATABASE, DATA_DIR: dataDirs[1] },
    });
    // `add` prints the new client's secret; `secret` reads it back from the database.
    const secret = await secretOf('cluster-limits');
    assert.equal(stdout.trim(), secret);
    const limited = await tokenFrom(apis[1]!, 'cluster-limits', secret);
    let admitted = 0;
    let refused = 0;
    for (let sent = 0; sent < RATE_LIMIT + 10; sent += 50) {
      const batch = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          fetch(`${apis[(sent + i) % 2]}/itwins`, { headers: { authorization: `Bearer ${limited}` } }).then(async (res) => {
            await res.arrayBuffer();
            return res.status;
          }),
        ),
      );
      admitted += batch.filter((s) => s === 200).length;
      refused += batch.filter((s) => s === 429).length;
    }
    assert.equal(admitted, RATE_LIMIT, `admitted ${admitted}, refused ${refused}`);
    assert.equal(refused, 50 * Math.ceil((RATE_LIMIT + 10) / 50) - RATE_LIMIT);
  });

  it('a worker killed with SIGKILL mid-task: the other takes its run over and finishes it, each file applied once', async () => {
    const imodel = await call(apis[1]!, token[1]!, 'POST', '/imodels', { iTwinId, name: 'Cluster crash' });
    const created = await call(apis[0]!, token[0]!, 'POST', SC, {
      iModelId: imodel.json.iModel.id,
      authenticationType: 'Service',
      sourceFiles: fileIds.slice(0, 3).map((storageFileId) => ({ storageFileId, connectorType: 'MSTN' })),
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const connectionId = created.json.connection.id;
    const queued = await call(apis[1]!, token[1]!, 'POST', `${SC}/${connectionId}/run`);
    assert.equal(queued.status, 202);
    // Which worker holds the run, once a task executes: its lease owner is `<host>-<pid>-<random>`.
    let pid = 0;
    for (let i = 0; ; i++) {
      const [row] = await query<{ lease_owner: string | null; executing: string }>(
        `select r.lease_owner, (select count(*) from run_tasks t where t.run_id = r.id and t.state = 'Executing') as executing
           from runs r where r.connection_id = $1`,
        [connectionId],
      );
      if (row?.lease_owner && Number(row.executing) > 0) {
        pid = Number(/-(\d+)-[0-9a-f]+$/.exec(row.lease_owner)![1]);
        break;
      }
      assert.ok(i < 400, 'a worker started the run');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    process.kill(pid, 'SIGKILL');
    const run = await waitForRun(apis[0]!, token[0]!, queued.headers.get('location')!, 90_000);
    assert.equal(run.result, 'Success', JSON.stringify(run));
    const [row] = await query<{ id: string; claims: number; lease_owner: string | null }>('select id, claims, lease_owner from runs where connection_id = $1', [
      connectionId,
    ]);
    assert.ok(row!.claims >= 2, `taken over (claims ${row!.claims})`);
    const changes = await query<{ source_file_id: string }>('select source_file_id from changesets where run_id = $1', [row!.id]);
    assert.equal(changes.length, 3, 'one change per task');
    assert.equal(new Set(changes.map((c) => c.source_file_id)).size, 3, 'each source file applied once');
  });
});
