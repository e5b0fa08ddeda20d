import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Worker } from '../../src/worker/worker.js';
import { call, SC } from '../helpers/api.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { consent, getRun, newContentVersion, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';
import { assertContinues } from '../helpers/paging.js';

const CONNECTORS = {
  default: {
    kind: 'emulate',
    durationMs: 0,
    outcomes: [
      { fileName: '*.fail.*', result: 'Error', errorCode: 'EMULATED_BAD_FILE', message: 'This file cannot be converted.' },
      { fileName: '*.flaky.*', result: 'Flaky', failAttempts: 2 },
      { fileName: '*.slow.*', result: 'Success', durationMs: 300 },
      { fileName: '*.hang.*', result: 'Success', durationMs: 60_000 },
    ],
  },
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

onEveryStore('runs', { env: runEnv(CONNECTORS) }, ({ h }) => {
  let worker: Worker;
  before(() => {
    worker = startWorker(h);
  });
  after(() => worker?.stop(1000));

  describe('POST …/run', () => {
    it('202 with the absolute Location of the run, no body, no Content-Type; lastRun points at it at once', async () => {
      const { connectionId } = await runnableConnection(h, ['a.ifc']);
      const res = await startRun(h, connectionId);
      assert.equal(res.statusCode, 202);
      assert.equal(res.body, '');
      assert.equal(res.headers['content-type'], undefined);
      const location = res.headers.location as string;
      assert.match(location, new RegExp(`^${PUBLIC_URL}${SC}/${connectionId}/runs/[0-9a-f-]{36}$`));
      const runId = runIdOf(location);
      assert.match(runId, UUID);
      const connection = (await call(h, 'GET', `${SC}/${connectionId}`)).json().connection;
      assert.equal(connection._links.lastRun.href, location, 'the client reads the run id from lastRun by position');
      await pollUntilCompleted(h, connectionId, runId);
    });

    it('303 to the active run of any connection of the same iModel, whose Location answers 200', async () => {
      const first = await runnableConnection(h, ['long.hang.ifc']);
      const started = await startRun(h, first.connectionId);
      assert.equal(started.statusCode, 202);
      const again = await startRun(h, first.connectionId);
      assert.equal(again.statusCode, 303);
      assert.equal(again.headers.location, started.headers.location);
      assert.equal(again.body, '');
      // another connection of the same iModel
      const otherFile = await h.file(first.itwin, 'other.ifc');
      const other = await call(h, 'POST', SC, {
        body: { iModelId: first.iModelId, authenticationType: 'Service', sourceFiles: [{ storageFileId: otherFile, connectorType: 'IFC' }] },
      });
      const viaOther = await startRun(h, other.json().connection.id);
      assert.equal(viaOther.statusCode, 303);
      assert.equal(viaOther.headers.location, started.headers.location);
      const followed = await call(h, 'GET', new URL(viaOther.headers.location as string).pathname);
      assert.equal(followed.statusCode, 200);
      // end it: deleting the connection cancels the run and frees the iModel
      assert.equal((await call(h, 'DELETE', `${SC}/${first.connectionId}`)).statusCode, 204);
      assert.equal((await startRun(h, other.json().connection.id)).statusCode, 202);
    });

    it('simultaneous requests: exactly one 202, the others 409 (or 303 to that run once it is committed)', async () => {
      const { connectionId } = await runnableConnection(h, ['x.slow.ifc']);
      const token = await h.token();
      const responses = await Promise.all(
        Array.from({ length: 12 }, () => h.app.inject({ method: 'POST', url: `${SC}/${connectionId}/run`, headers: { authorization: `Bearer ${token}` } })),
      );
      const statuses = responses.map((r) => r.statusCode);
      assert.equal(statuses.filter((s) => s === 202).length, 1, statuses.join(','));
      assert.ok(
        statuses.every((s) => [202, 303, 409].includes(s)),
        statuses.join(','),
      );
      const location = responses.find((r) => r.statusCode === 202)!.headers.location;
      for (const r of responses.filter((x) => x.statusCode === 303)) assert.equal(r.headers.location, location);
      for (const r of responses.filter((x) => x.statusCode === 409)) {
        assert.deepEqual(r.json(), { error: { code: 'RunRequestInProgress', message: 'A run request is already being processed.' } });
      }
      const active = await h.store.db.selectFrom('runs').select('id').where('connection_id', '=', connectionId).execute();
      assert.equal(active.length, 1);
      await pollUntilCompleted(h, connectionId, runIdOf(location as string));
    });

    it('the store itself refuses a second active run of an iModel, whatever the timing', async () => {
      const { connectionId, iModelId } = await runnableConnection(h, ['idx.hang.ifc']);
      const row = (id: string) => ({
        id,
        connection_id: connectionId,
        imodel_id: iModelId,
        requested_by: 'alice',
        state: 'WaitingToExecute',
        result: 'Undetermined',
        phase: null,
        error_key: null,
        error_description: null,
        created_at: new Date().toISOString(),
        started_at: null,
        ended_at: null,
        deadline_ms: Date.now() + 60_000,
        lease_owner: 'nobody',
        lease_expires_ms: Date.now() + 60_000,
        claims: 0,
      });
      // Both inserts are submitted together: the partial unique index lets exactly one commit.
      const outcomes = await Promise.allSettled([
        h.store.writeSql((trx) => trx.insertInto('runs').values(row('00000000-0000-4000-8000-000000000001')).execute()),
        h.store.writeSql((trx) => trx.insertInto('runs').values(row('00000000-0000-4000-8000-000000000002')).execute()),
      ]);
      assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
      assert.ok(h.store.dialect.isUniqueViolation((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason));
      // and a completed run does not count: the iModel can run again
      await h.store.db.updateTable('runs').set({ state: 'Completed', result: 'Cancelled' }).where('imodel_id', '=', iModelId).execute();
      await h.store.writeSql((trx) =>
        trx
          .insertInto('runs')
          .values({ ...row('00000000-0000-4000-8000-000000000003'), lease_owner: null, lease_expires_ms: 0, state: 'Completed', result: 'Cancelled' })
          .execute(),
      );
      assert.equal((await startRun(h, connectionId)).statusCode, 202);
      await h.store.db.updateTable('runs').set({ state: 'Completed', result: 'Cancelled' }).where('imodel_id', '=', iModelId).execute();
    });

    it("404 for an unknown connection, 403 for another iTwin's, 401 with the read scope only", async () => {
      assert.equal((await startRun(h, 'MWplZe9Uf0iR1IDMqyOMLqBN0_wHEVBGg_CzJmXdmE4')).statusCode, 404);
      const { connectionId } = await runnableConnection(h, ['p.ifc']);
      assert.equal((await startRun(h, connectionId, 'bob')).statusCode, 403);
      const readOnly = await call(h, 'POST', `${SC}/${connectionId}/run`, { scopes: ['synchronization:read'] });
      assert.equal(readOnly.statusCode, 401);
    });
  });

  describe("a run's life", () => {
    it('one job per connector type, one task per file, every field present, Success', async () => {
      const itwinFixture = await runnableConnection(h, ['one.ifc', 'two.ifc']);
      const dwg = await h.file(itwinFixture.itwin, 'three.dwg');
      await call(h, 'POST', `${SC}/${itwinFixture.connectionId}/sourcefiles`, { body: { storageFileId: dwg, connectorType: 'DWG' } });
      const runId = runIdOf((await startRun(h, itwinFixture.connectionId)).headers.location as string);
      const { run } = await pollUntilCompleted(h, itwinFixture.connectionId, runId);
      assert.equal(run.id, runId);
      assert.equal(run.connectionId, itwinFixture.connectionId);
      assert.equal(run.result, 'Success');
      assert.ok(Date.parse(run.startDateTime) <= Date.parse(run.endDateTime));
      assert.deepEqual(
        run.jobs.map((j: { connectorType: string }) => j.connectorType),
        ['DWG', 'IFC'],
      );
      const ifc = run.jobs[1];
      assert.equal(ifc.state, 'Completed');
      assert.equal(ifc.result, 'Success');
      assert.deepEqual(
        ifc.tasks.map((t: { storageFileId: string }) => t.storageFileId),
        itwinFixture.fileIds,
      );
      for (const task of run.jobs.flatMap((j: { tasks: unknown[] }) => j.tasks)) {
        assert.match(task.id, UUID);
        assert.equal(task.state, 'Completed');
        assert.equal(task.result, 'Success');
        assert.equal(task.retryAttempts, 0);
        assert.ok(task.startDateTime && task.endDateTime);
        assert.equal(task.details.emulated, true);
        assert.deepEqual(Object.keys(task.details.synchronizationReport).sort(), [
          'message',
          'suggestedAction',
          'totalErrorsCount',
          'totalOtherIssuesCount',
          'totalWarningsCount',
        ]);
      }
    });

    it('states as seen by polling: WaitingToExecute → Executing → (Finalizing →) Completed', async () => {
      const { connectionId } = await runnableConnection(h, ['seen.slow.ifc']);
      const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
      const { states } = await pollUntilCompleted(h, connectionId, runId);
      const order = ['WaitingToExecute', 'Executing', 'Finalizing', 'Completed'];
      assert.ok(states.includes('Executing'), states.join(' → '));
      assert.deepEqual(
        [...states].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
        states,
        'states only move forward',
      );
      assert.ok(states.every((s) => order.includes(s)));
    });

    it('retries a failing task with backoff (WaitingToRetry) and succeeds', async () => {
      const { connectionId } = await runnableConnection(h, ['twice.flaky.ifc']);
      const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
      const seen = new Set<string>();
      for (let i = 0; i < 2000; i++) {
        const run = await getRun(h, connectionId, runId);
        for (const t of run.jobs.flatMap((j: { tasks: Array<{ state: string }> }) => j.tasks)) seen.add(t.state);
        if (run.state === 'Completed') {
          assert.equal(run.result, 'Success');
          assert.equal(run.jobs[0].tasks[0].retryAttempts, 2);
          break;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.ok(seen.has('WaitingToRetry'), [...seen].join(','));
    });

    it('partial success: one task fails after its retries, the other succeeds', async () => {
      const { connectionId, fileIds } = await runnableConnection(h, ['good.ifc', 'bad.fail.ifc']);
      const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
      const { run } = await pollUntilCompleted(h, connectionId, runId);
      assert.equal(run.result, 'PartialSuccess');
      assert.equal(run.jobs[0].result, 'PartialSuccess');
      const failed = run.jobs[0].tasks.find((t: { storageFileId: string }) => t.storageFileId === fileIds[1]);
      assert.equal(failed.state, 'Completed');
      assert.equal(failed.result, 'Error');
      assert.equal(failed.retryAttempts, h.config.runs.maxRetries);
      assert.equal(failed.error.errorCode, 'EMULATED_BAD_FILE');
      assert.equal(failed.error.message, 'This file cannot be converted.');
      assert.equal(failed.error.system, 'twinsync');
      assert.equal(typeof failed.error.canUserFix, 'boolean');
    });

    it('every task failing → Error', async () => {
      const { connectionId } = await runnableConnection(h, ['only.fail.ifc']);
      const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
      assert.equal((await pollUntilCompleted(h, connectionId, runId)).run.result, 'Error');
    });
  });

  describe('incremental runs', () => {
    it('only new or changed files get tasks; nothing changed → Success with no jobs; a removed source file gets a remove task', async () => {
      const { connectionId, fileIds } = await runnableConnection(h, ['inc-a.ifc', 'inc-b.ifc']);
      const run = async () => (await pollUntilCompleted(h, connectionId, runIdOf((await startRun(h, connectionId)).headers.location as string))).run;
      const tasks = (r: { jobs: Array<{ tasks: Array<{ storageFileId: string }> }> }) => r.jobs.flatMap((j) => j.tasks.map((t) => t.storageFileId));

      assert.deepEqual(tasks(await run()), fileIds);
      await newContentVersion(h, fileIds[1]!, 'a new version of b');
      const second = await run();
      assert.deepEqual(tasks(second), [fileIds[1]]);
      assert.equal(second.result, 'Success');
      const third = await run();
      assert.equal(third.state, 'Completed');
      assert.equal(third.result, 'Success');
      assert.deepEqual(third.jobs, []);

      const list = (await call(h, 'GET', `${SC}/${connectionId}/sourcefiles`)).json().sourceFiles;
      assert.equal((await call(h, 'DELETE', `${SC}/${connectionId}/sourcefiles/${list[0].id}`)).statusCode, 204);
      const fourth = await run();
      assert.deepEqual(tasks(fourth), [fileIds[0]]);
      assert.equal(fourth.jobs[0].tasks[0].details.action, 'remove');
      assert.deepEqual((await run()).jobs, [], 'removed once, not again');

      // each applied task is one iModel change, never two
      const changes = await h.store.db
        .selectFrom('changesets')
        .select(['task_id', 'action'])
        .where(
          'run_id',
          'in',
          (await h.store.db.selectFrom('runs').select('id').where('connection_id', '=', connectionId).execute()).map((r) => r.id),
        )
        .execute();
      assert.deepEqual(changes.map((c) => c.action).sort(), ['remove', 'sync', 'sync', 'sync']);
    });
  });

  describe('GET …/runs', () => {
    it('newest first, paged, minimal unless Prefer: return=representation', async () => {
      const { connectionId, fileIds } = await runnableConnection(h, ['l.ifc']);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        await newContentVersion(h, fileIds[0]!, `version ${i}`);
        const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
        await pollUntilCompleted(h, connectionId, runId);
        ids.unshift(runId);
      }
      const minimal = await call(h, 'GET', `${SC}/${connectionId}/runs`);
      assert.equal(minimal.statusCode, 200);
      assert.deepEqual(
        minimal.json().runs,
        ids.map((id) => ({ id, state: 'Completed', result: 'Success' })),
      );
      const page = (await call(h, 'GET', `${SC}/${connectionId}/runs?$top=1&$skip=1`, { headers: { prefer: 'return=representation' } })).json();
      assert.equal(page.runs.length, 1);
      assert.equal(page.runs[0].id, ids[1]);
      assert.equal(page.runs[0].jobs[0].tasks.length, 1);
      assert.ok(page.runs[0].startDateTime);
      assertContinues(page._links.next.href, `${PUBLIC_URL}${SC}/${connectionId}/runs?`, 1);
      assert.equal((await call(h, 'GET', page._links.next.href.slice(PUBLIC_URL.length))).json().runs[0].id, ids[2]);
      assert.equal(page._links.prev.href, `${PUBLIC_URL}${SC}/${connectionId}/runs?$skip=0&$top=1`);
      assert.equal((await call(h, 'GET', `${SC}/${connectionId}/runs?$top=abc`)).statusCode, 422);
    });

    it('GET run: 404 StorageConnectionRunNotFound, 422 for a malformed id, 403 for another iTwin', async () => {
      const { connectionId } = await runnableConnection(h, ['g.ifc']);
      const missing = await call(h, 'GET', `${SC}/${connectionId}/runs/de626d0d-1647-48d7-8c11-f1f74f2d4523`);
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.code, 'StorageConnectionRunNotFound');
      assert.equal((await call(h, 'GET', `${SC}/${connectionId}/runs/nope`)).statusCode, 422);
      const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
      assert.equal((await call(h, 'GET', `${SC}/${connectionId}/runs/${runId}`, { subject: 'bob' })).statusCode, 403);
      await pollUntilCompleted(h, connectionId, runId);
    });
  });

  describe('consent', () => {
    it('a User connection whose owner never consented ends Error / UserNotAuthenticated; after consent it runs', async () => {
      const { connectionId } = await runnableConnection(h, ['u.ifc'], { authenticationType: 'User' });
      const first = await pollUntilCompleted(h, connectionId, runIdOf((await startRun(h, connectionId)).headers.location as string));
      assert.equal(first.run.result, 'Error');
      assert.deepEqual(first.run.error, {
        errorKey: 'UserNotAuthenticated',
        description: 'User is not authenticated.',
        // The service's own page about the error (docs/errors.md).
        kbArticleLink: `${PUBLIC_URL}/synchronization/errors/UserNotAuthenticated`,
      });
      assert.deepEqual(first.run.jobs, []);
      await consent(h, 'alice');
      const second = await pollUntilCompleted(h, connectionId, runIdOf((await startRun(h, connectionId)).headers.location as string));
      assert.equal(second.run.result, 'Success');
      assert.equal(second.run.error, undefined);
    });
  });
});

onEveryStore('runs without a worker, time-outs', { env: runEnv(CONNECTORS, { RUN_TIMEOUT_MS: '1500' }) }, ({ h }) => {
  it('a queued run waits (WaitingToExecute, Undetermined) until a worker takes it; past its time limit it ends TimedOut', async () => {
    const { connectionId } = await runnableConnection(h, ['t.hang.ifc']);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    const queued = await getRun(h, connectionId, runId);
    assert.equal(queued.state, 'WaitingToExecute');
    assert.equal(queued.result, 'Undetermined');
    assert.deepEqual(queued.jobs, []);
    assert.ok(queued.startDateTime);
    assert.equal(queued.endDateTime, undefined);
    const worker = startWorker(h);
    try {
      const { run, states } = await pollUntilCompleted(h, connectionId, runId);
      assert.equal(run.result, 'TimedOut', states.join(' → '));
      assert.equal(run.jobs[0].tasks[0].result, 'TimedOut');
      assert.equal(run.jobs[0].result, 'TimedOut');
    } finally {
      await worker.stop(1000);
    }
  });
});

// An operator's converter, in a folder of each suite's own: reads the input, fails with exit code 3 on files named *bad*.
let dir: string;
function commandConnectorEnv() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-command-'));
  const program = path.join(dir, 'convert.sh');
  fs.writeFileSync(program, '#!/bin/sh\ncase "$2" in *bad*) echo "cannot read $2" >&2; exit 3;; esac\ncat "$1" > "$3/copy" && exit 0\n', { mode: 0o755 });
  return runEnv({ types: { DWG: { kind: 'command', command: program, args: ['{input}', '{fileName}', '{output}'], permanentExitCodes: [3] } } });
}

onEveryStore('runs with a command connector', { env: commandConnectorEnv }, ({ h }) => {
  let worker: Worker;
  before(() => {
    worker = startWorker(h);
  });
  after(async () => {
    await worker?.stop(1000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('maps the exit code and stderr into the task error; other files succeed', async () => {
    const { connectionId, fileIds } = await runnableConnection(h, ['fine.dwg', 'bad.dwg'], { connectorType: 'DWG' });
    const { run } = await pollUntilCompleted(h, connectionId, runIdOf((await startRun(h, connectionId)).headers.location as string));
    assert.equal(run.result, 'PartialSuccess');
    const [fine, bad] = fileIds.map((id) => run.jobs[0].tasks.find((t: { storageFileId: string }) => t.storageFileId === id));
    assert.equal(fine.result, 'Success');
    assert.equal(fine.details.emulated, undefined, 'a real program ran');
    assert.equal(bad.result, 'Error');
    assert.equal(bad.retryAttempts, 0, 'a permanent exit code is not retried');
    assert.equal(bad.error.bridgeExitCode, 3);
    assert.match(bad.error.details, /cannot read bad\.dwg/);
  });
});
