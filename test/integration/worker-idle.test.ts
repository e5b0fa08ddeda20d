import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SqlStore } from '../../src/store/store.js';
import { countingStore, createHarness, type Harness } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { newWorker, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun } from '../helpers/runs.js';
import { storeTargets } from '../helpers/stores.js';

const postgres = storeTargets.find((t) => t.name === 'postgres')!;

/**
 * An idle worker asks the store for runs once a poll, however many runs it may drive at once: one of
 * its idle loops polls, the others wait for a claim to succeed (there may be more) or for a run
 * queued in this process. Counted on the wire (PostgreSQL), where each claim is a round trip.
 */
describe('an idle worker, on PostgreSQL', { skip: postgres.skip }, () => {
  let h: Harness;
  let claims = 0;
  let counted: SqlStore;

  before(async () => {
    h = await createHarness(postgres, runEnv());
    counted = await countingStore(h, (sql) => {
      if (/"claims" = "claims" \+ 1/.test(sql)) claims++;
    });
  });
  after(async () => {
    await counted.close();
    await h.close();
  });

  it('with eight loops and nothing queued, claims once a poll, not once a poll per loop', async () => {
    const pollMs = 100;
    const worker = newWorker(h, { store: counted, settings: { workerConcurrency: 8, pollMs } });
    worker.start();
    // Each loop looks once as it starts (on connections opened then): what is counted is after that.
    const deadline = Date.now() + 10_000;
    while (claims < 8 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    claims = 0;
    const windowMs = 1500;
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const seen = claims;
    await worker.stop(1000);
    // About 15 polls in the window; a loaded machine may fire a timer late, never more often. Each
    // of the eight loops polling on its own made about 120.
    assert.ok(seen >= 5 && seen <= windowMs / pollMs + 2, `claims while idle: ${seen}`);
  });
});

onEveryStore('an idle worker, woken', { env: runEnv({ default: { kind: 'emulate', durationMs: 1500 } }) }, ({ h }) => {
  it('stops at once when stopped while its loops are claiming, however far away the next poll', async () => {
    const worker = newWorker(h, { settings: { workerConcurrency: 8, pollMs: 60_000 } });
    // Every loop starts with a claim: stopping now finds them in it, not yet idle.
    worker.start();
    const started = Date.now();
    await worker.stop(1000);
    assert.ok(Date.now() - started < 10_000, `stopped after ${Date.now() - started} ms`);
  });

  it('one wake for four runs queued at once: each loop that claims one wakes the next, and the four run together', async () => {
    // A poll far away: only the wake and the claims that follow it can start these runs in time.
    const worker = newWorker(h, { settings: { workerConcurrency: 4, pollMs: 60_000 } });
    worker.start();
    try {
      // Every loop has looked once and found nothing: all four are idle.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const runs: { connectionId: string; runId: string }[] = [];
      for (let i = 0; i < 4; i++) {
        const { connectionId } = await runnableConnection(h, [`woken-${i}.ifc`]);
        runs.push({ connectionId, runId: runIdOf((await startRun(h, connectionId)).headers.location as string) });
      }
      worker.wake();
      let most = 0;
      const deadline = Date.now() + 20_000;
      for (;;) {
        const states = await h.store.db
          .selectFrom('runs')
          .select('state')
          .where(
            'id',
            'in',
            runs.map((r) => r.runId),
          )
          .execute();
        most = Math.max(most, states.filter((s) => s.state === 'Executing').length);
        if (states.every((s) => s.state === 'Completed') || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const { connectionId, runId } of runs) assert.equal((await pollUntilCompleted(h, connectionId, runId, 1000)).run.result, 'Success');
      assert.equal(most, 4, 'the four runs were executing at the same time');
    } finally {
      await worker.stop(1000);
    }
  });
});
