import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deploymentClients } from '../helpers/deployment-clients.js';
import { buildService, freePort, ROOT } from '../helpers/server-process.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

const DATABASE = process.env.TWINSYNC_TEST_DATABASE_URL;
const REDIS = process.env.TWINSYNC_TEST_REDIS_URL;
const skip = !DATABASE
  ? 'the scale-out recipe runs on PostgreSQL: TWINSYNC_TEST_DATABASE_URL is not set'
  : !REDIS
    ? 'the scale-out recipe uses Redis: TWINSYNC_TEST_REDIS_URL is not set'
    : undefined;

/** The README's scale-out block: the sh block of "Runs and workers" that starts `npm run worker`. */
function recipe(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Runs and workers'));
  const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).find((text) => text.includes('npm run worker'));
  assert.ok(block, 'the Runs and workers section has the scale-out sh block');
  return block;
}

async function answers(url: string): Promise<boolean> {
  return fetch(url).then(
    (res) => res.status === 200,
    () => false,
  );
}

/**
 * The README's scale-out recipe, run as written (as the quickstart test runs the quickstart): two
 * API processes without workers and one worker process, on one PostgreSQL, one Redis, one DATA_DIR.
 * Pointed at the test's database (a fresh schema), Redis (a fresh key prefix), a fresh DATA_DIR and
 * free ports instead of 3000 and 3001. Then a client takes a token from one API process, uses it on
 * the other, and a run requested from one completes through the worker process, read from the other.
 */
describe('acceptance: the README scale-out recipe, run verbatim', { skip }, () => {
  let db: TestDatabase;
  let shell: ChildProcess | undefined;
  let output = '';
  let first = '';
  let second = '';

  before(async () => {
    await buildService(); // npm start's prestart then finds dist/ current
    db = await storeTargets.find((target) => target.name === 'postgres')!.create();
    const [portA, portB] = [await freePort(), await freePort()];
    first = `http://localhost:${portA}`;
    second = `http://localhost:${portB}`;
    const script = recipe()
      .replace(/DATABASE_URL=\S+/, `DATABASE_URL=${DATABASE}`)
      .replace(/REDIS_URL=\S+/, `REDIS_URL=${REDIS}`)
      .replaceAll('DATA_DIR=./data', `DATA_DIR=${db.dataDir}`)
      .replaceAll('localhost:3000', `localhost:${portA}`)
      .replaceAll('PORT=3000', `PORT=${portA}`)
      .replaceAll('PORT=3001', `PORT=${portB}`);
    assert.doesNotMatch(script, /3000|3001|\.\/data/, 'every address and folder of the recipe is replaced');
    // The recipe starts its processes in the background; the shell waits for them, in a process
    // group of its own so that the test can stop them all.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_SCHEMA: db.schema,
      REDIS_KEY_PREFIX: `twinsync-test-${randomBytes(6).toString('hex')}:`,
      NODE_ENV: 'production',
      WORKER_POLL_MS: '200',
    };
    for (const name of ['PORT', 'PUBLIC_URL', 'DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'HOST']) delete env[name];
    shell = spawn('bash', ['-e', '-c', `${script}\nwait`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    shell.stdout!.on('data', (chunk) => (output += chunk));
    shell.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 60_000;
    while (!((await answers(`${first}/health/ready`)) && (await answers(`${second}/health/ready`)))) {
      assert.equal(shell.exitCode, null, `the recipe stopped: ${output}`);
      assert.ok(Date.now() < deadline, `the API processes did not get ready within 60 s: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  after(async () => {
    if (shell?.pid && shell.exitCode === null) {
      const exited = new Promise((resolve) => shell!.once('exit', resolve));
      process.kill(-shell.pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-shell!.pid!, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await db?.drop();
  });

  it('each API process accepts the tokens of the other, and the worker process runs what either queues', async () => {
    const [client] = await deploymentClients({ DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, DATABASE_SCHEMA: db.schema });
    const tokenFrom = async (api: string) => {
      const res = await fetch(`${api}/connect/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials&scope=itwin-platform',
      });
      assert.equal(res.status, 200);
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const call = async (api: string, token: string, method: string, url: string, body?: unknown) => {
      const res = await fetch(url.startsWith('http') ? url : `${api}${url}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : undefined) as any };
    };
    const fromFirst = await tokenFrom(first);
    const fromSecond = await tokenFrom(second);

    // A token of the first process, on the second (and the other way round).
    const itwin = await call(second, fromFirst, 'POST', '/itwins', { displayName: 'Scale-out', class: 'Endeavor', subClass: 'Project' });
    assert.equal(itwin.status, 201, JSON.stringify(itwin.json));
    const iTwinId = itwin.json.iTwin.id;
    assert.equal((await call(first, fromSecond, 'GET', `/itwins/${iTwinId}`)).status, 200);

    const imodel = await call(first, fromSecond, 'POST', '/imodels', { iTwinId, name: 'Scale-out iModel' });
    assert.equal(imodel.status, 201);
    const top = await call(second, fromFirst, 'GET', `/storage/?iTwinId=${iTwinId}`);
    const rootFolderId = top.json._links.folder.href.split('/').pop();
    const created = await call(first, fromFirst, 'POST', `/storage/folders/${rootFolderId}/files`, { displayName: 'model.ifc' });
    assert.equal(created.status, 202);
    const { uploadUrl, completeUrl } = created.json._links;
    assert.equal(new URL(uploadUrl.href).origin, first, 'links use PUBLIC_URL');
    const put = await fetch(uploadUrl.href, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'ISO-10303-21;\nEND-ISO-10303-21;\n' });
    assert.equal(put.status, 201);
    // Completed through the other process: the same DATA_DIR holds the upload.
    const completeOnSecond = completeUrl.href.replace(first, second);
    assert.equal((await call(second, fromSecond, 'POST', completeOnSecond)).status, 200);
    const storageFileId = completeUrl.href.split('/')[5];

    const connection = await call(second, fromFirst, 'POST', '/synchronization/imodels/storageconnections', {
      displayName: 'scale-out',
      iModelId: imodel.json.iModel.id,
      authenticationType: 'Service',
      sourceFiles: [{ storageFileId, connectorType: 'IFC' }],
    });
    assert.equal(connection.status, 201);
    const run = await call(first, fromSecond, 'POST', `/synchronization/imodels/storageconnections/${connection.json.connection.id}/run`);
    assert.equal(run.status, 202);
    const runUrl = run.headers.get('location')!.replace(first, second);
    const deadline = Date.now() + 60_000;
    let state: any;
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      state = (await call(second, fromSecond, 'GET', runUrl)).json.run;
      assert.ok(Date.now() < deadline, `the run did not complete within 60 s: ${JSON.stringify(state)}\n${output}`);
    } while (state.state !== 'Completed');
    assert.equal(state.result, 'Success', JSON.stringify(state));
  });
});
