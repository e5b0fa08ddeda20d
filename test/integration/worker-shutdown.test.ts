import assert from 'node:assert/strict';
import { it } from 'node:test';
import { onEveryStore } from '../helpers/on-every-store.js';
import { getRun, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';

onEveryStore('worker shutdown', { env: runEnv({ default: { kind: 'emulate', durationMs: 600 } }) }, ({ h }) => {
  const waitFor = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 400 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
  };
  const taskStates = async (connectionId: string, runId: string) =>
    ((await getRun(h, connectionId, runId)).jobs[0]?.tasks ?? []).map((t: { state: string }) => t.state);

  it('with enough grace the running task finishes, the rest of the run is handed back, and another worker completes it', async () => {
    const { connectionId } = await runnableConnection(h, ['one.ifc', 'two.ifc']);
    const first = startWorker(h);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    await waitFor(async () => (await taskStates(connectionId, runId))[0] === 'Executing');
    await first.stop(10_000);
    assert.deepEqual(await taskStates(connectionId, runId), ['Completed', 'NotStarted'], 'the task in flight finished, the next did not start');
    const row = await h.store.db.selectFrom('runs').select(['lease_owner', 'lease_expires_ms', 'state']).where('id', '=', runId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { lease_owner: null, lease_expires_ms: 0, state: 'Executing' }, 'released at once, not left to expire');
    const second = startWorker(h);
    try {
      assert.equal((await pollUntilCompleted(h, connectionId, runId)).run.result, 'Success');
    } finally {
      await second.stop(1000);
    }
  });

  it('past the grace period the connector is aborted and the task is executed again by the next worker', async () => {
    const { connectionId } = await runnableConnection(h, ['slow.ifc']);
    const first = startWorker(h);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    await waitFor(async () => (await taskStates(connectionId, runId))[0] === 'Executing');
    await first.stop(50);
    const run = await getRun(h, connectionId, runId);
    assert.equal(run.state, 'Executing');
    assert.equal(run.jobs[0].tasks[0].state, 'Executing');
    assert.equal(run.jobs[0].tasks[0].retryAttempts, 0, 'an abort by shutdown is no failed attempt');
    const second = startWorker(h);
    try {
      const done = (await pollUntilCompleted(h, connectionId, runId)).run;
      assert.equal(done.result, 'Success');
      const changes = await h.store.db.selectFrom('changesets').select('task_id').where('run_id', '=', runId).execute();
      assert.equal(changes.length, 1);
    } finally {
      await second.stop(1000);
    }
  });
});
