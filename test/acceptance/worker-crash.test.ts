import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { recordedIssuer } from '../../src/auth/builtin-issuer.js';
import { deploymentIssuer } from '../helpers/deployment-clients.js';
import { loadConfig } from '../../src/config.js';
import { createIModel } from '../../src/domain/imodels/create-imodel.js';
import { createITwin } from '../../src/domain/itwins/create-itwin.js';
import { createFileWithContent } from '../../src/domain/storage/create-file-with-content.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { LocalBlobStore } from '../../src/blobs/local-blob-store.js';

const SC = '/synchronization/imodels/storageconnections';

/**
 * A worker killed with SIGKILL in the middle of a task: its lease expires, another worker process
 * takes the run over and finishes it, and no task's effect is applied twice.
 */
describe('acceptance: a worker dies mid-run', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-crash-'));
  const env = {
    DATA_DIR: dataDir,
    CONNECTORS: JSON.stringify({ default: { kind: 'emulate', durationMs: 1200 } }),
    WORKER_LEASE_MS: '1500',
    WORKER_POLL_MS: '100',
    WORKER_CONCURRENCY: '1',
  };
  const processes: ServerProcess[] = [];
  let api: ServerProcess;
  let token: string;
  const subject = 'crash-tester';

  before(async () => {
    api = await startServerProcess(env, ['serve', '--no-worker']);
    processes.push(api);
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
    const auth = { ...config.auth, issuer: recordedIssuer(dataDir)! };
    // A client the server knows (it accepts only tokens of the deployment's clients): the default one.
    const issuer = await deploymentIssuer(env, auth);
    token = (await issuer.issue({ subject, clientId: issuer.clients[0]!.clientId, scopes: ['itwin-platform'] })).token;
  });
  after(() => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const http = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${api.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      redirect: 'manual',
    });
    return { status: res.status, headers: res.headers, json: res.status === 200 || res.status === 201 ? await res.json() : undefined };
  };

  it('a second worker completes the run once, correctly', async () => {
    // Records through the store the API process also uses (one SQLite file, two processes).
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
    const store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
    const fileIds: string[] = [];
    let iModelId: string;
    try {
      const itwin = await createITwin(store, subject, { displayName: 'crash' });
      iModelId = (await createIModel(store, subject, { iTwinId: itwin.id, name: 'crash' })).id;
      for (const name of ['a.ifc', 'b.ifc', 'c.ifc'])
        fileIds.push((await createFileWithContent(store, new LocalBlobStore(dataDir), subject, itwin, name, Buffer.from(name))).id);
    } finally {
      await store.close();
    }
    const created = await http('POST', SC, {
      iModelId,
      authenticationType: 'Service',
      sourceFiles: fileIds.map((storageFileId) => ({ storageFileId, connectorType: 'IFC' })),
    });
    assert.equal(created.status, 201);
    const connectionId = (created.json as { connection: { id: string } }).connection.id;

    const first = await startServerProcess(env, ['worker'], 'worker started');
    processes.push(first);
    const queued = await http('POST', `${SC}/${connectionId}/run`);
    assert.equal(queued.status, 202);
    const runUrl = new URL(queued.headers.get('location')!).pathname;

    type Run = { state: string; result: string; jobs: Array<{ tasks: Array<{ state: string; result: string; retryAttempts: number }> }> };
    const read = async () => (await http('GET', runUrl)).json as { run: Run };
    // Kill it once the first task is done and the second is executing.
    for (let i = 0; ; i++) {
      const tasks = (await read()).run.jobs[0]?.tasks ?? [];
      if (tasks[0]?.state === 'Completed' && tasks[1]?.state === 'Executing') break;
      assert.ok(i < 400, 'the first worker got going');
      await new Promise((r) => setTimeout(r, 25));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    assert.equal((await read()).run.state, 'Executing', 'the run is left mid-way');

    const second = await startServerProcess(env, ['worker'], 'worker started');
    processes.push(second);
    let run: Run;
    for (let i = 0; ; i++) {
      run = (await read()).run;
      if (run.state === 'Completed') break;
      assert.ok(i < 600, `the second worker finished the run (state ${run.state})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(run.result, 'Success');
    assert.deepEqual(
      run.jobs[0]!.tasks.map((t) => [t.state, t.result]),
      [
        ['Completed', 'Success'],
        ['Completed', 'Success'],
        ['Completed', 'Success'],
      ],
    );

    const check = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
    try {
      const runRow = await check.db.selectFrom('runs').selectAll().where('connection_id', '=', connectionId).executeTakeFirstOrThrow();
      assert.ok(runRow.claims >= 2, `taken over (claims ${runRow.claims})`);
      const changes = await check.db.selectFrom('changesets').select(['task_id', 'source_file_id']).where('run_id', '=', runRow.id).execute();
      assert.equal(changes.length, 3, 'one change per task');
      assert.equal(new Set(changes.map((c) => c.source_file_id)).size, 3, 'each source file applied once');
      const synced = await check.db.selectFrom('synced_files').select('source_file_id').where('connection_id', '=', connectionId).execute();
      assert.equal(synced.length, 3);
    } finally {
      await check.close();
    }

    // And the next run has nothing to do: what was applied is known.
    const next = await http('POST', `${SC}/${connectionId}/run`);
    assert.equal(next.status, 202);
    const nextUrl = new URL(next.headers.get('location')!).pathname;
    for (let i = 0; ; i++) {
      const r = (await http('GET', nextUrl)).json as { run: Run };
      if (r.run.state === 'Completed') {
        assert.equal(r.run.result, 'Success');
        assert.deepEqual(r.run.jobs, []);
        break;
      }
      assert.ok(i < 200);
      await new Promise((res) => setTimeout(res, 50));
    }
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, 'the worker stops gracefully');
  });
});
