import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/store/schema.js';
import { pino } from 'pino';
import type { ConnectorResolver } from '../../src/connectors/connector.js';
import { createConnectorResolver } from '../../src/connectors/registry.js';
import type { SqlStore } from '../../src/store/store.js';
import { Worker } from '../../src/worker/worker.js';
import { countingStore, createHarness, type Harness } from '../helpers/harness.js';
import { pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun } from '../helpers/runs.js';
import { storeTargets } from '../helpers/stores.js';

const postgres = storeTargets.find((t) => t.name === 'postgres')!;

/**
 * What one emulated run costs a worker on PostgreSQL, in statements (each a round trip) and
 * commits (each a flush of the write-ahead log): the figures that bound runs per second
 * (docs/performance.md, "Eight statements per run" and after). Counted on the wire, by a second
 * store on the same database whose every statement is reported, so that a change adding a round
 * trip to the worker's path fails here rather than only in a benchmark. PostgreSQL only: on SQLite
 * a statement is a call into the same process, not a round trip (the runs tests cover the behaviour
 * on both stores).
 */
describe('the worker path of one emulated run, on PostgreSQL', { skip: postgres.skip }, () => {
  let h: Harness;
  const sent: string[] = [];
  /** Those sent on connections that commit without waiting for the log's flush (worker progress). */
  const progress: string[] = [];
  let counted: SqlStore;

  before(async () => {
    h = await createHarness(postgres, runEnv());
    counted = await countingStore(h, (sql, pool) => {
      sent.push(sql);
      if (pool === 'progress') progress.push(sql);
    });
  });
  after(async () => {
    await counted.close();
    await h.close();
  });

  it("the claim with planning's read, the plan with the first task start, and the task end that completes the run: no transaction, one flushed commit", async () => {
    const { connectionId } = await runnableConnection(h, ['one.ifc']);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    sent.length = 0; // the migrations' check as the store opened
    progress.length = 0;
    const worker = new Worker({
      store: counted,
      blobs: h.blobs,
      dataDir: h.config.dataDir,
      settings: { ...h.config.runs, workerConcurrency: 1 },
      connectors: createConnectorResolver(h.config.runs.connectors, h.config.dataDir, h.config.runs.connectorProcesses),
      log: pino({ level: 'silent' }),
    });
    worker.start();
    let states: string[];
    try {
      ({ states } = await pollUntilCompleted(h, connectionId, runId));
    } finally {
      await worker.stop(1000);
    }
    assert.ok(!states.includes('Finalizing'), `nothing to finalize: ${states.join(' → ')}`);

    const claims = sent.filter((s) => /"claims" = "claims" \+ 1/.test(s));
    // Not per run: lease renewals (timed), and which events webhooks want (read at most once a second per process).
    const perProcess = (s: string) => /^update "runs" set "lease_expires_ms"/.test(s) || /from "webhooks" where "active"/.test(s);
    const rest = sent.filter((s) => !claims.includes(s) && !perProcess(s));
    assert.ok(claims.length >= 1, 'the run was claimed');
    assert.deepEqual(
      rest.filter((s) => /^(begin|commit|rollback)\b/i.test(s)),
      [],
      'no step needs a transaction',
    );
    // Planning's read (the connection, its source files and what its runs synchronized) is the claim's
    // own statement. Then two writes, each one statement that proves the lease: the plan (run, job,
    // task) with the first task's start (and its content), the task's end (task, job, changeset,
    // synchronized file, run).
    assert.ok(
      claims.every((s) => /^with "claimed" as \(update "runs"/.test(s) && /as "planning_current"/.test(s) && /as "planning_synced"/.test(s)),
      claims.join('\n---\n'),
    );
    const writes = rest.filter((s) => /^(with|update|insert|delete)\b/i.test(s));
    const reads = rest.filter((s) => /^select\b/i.test(s));
    assert.equal(writes.length, 2, writes.join('\n---\n'));
    assert.equal(reads.length, 0, reads.join('\n---\n'));
    assert.equal(rest.length, 2, rest.join('\n---\n'));
    // Only the task's end, which completes the run (what clients see and webhooks tell), waits for the
    // flush of the write-ahead log; the claim and the plan are progress a crash of the server may undo.
    assert.ok(progress.includes(writes[0]!), 'the plan is progress');
    assert.ok(!progress.includes(writes[1]!), 'the task end is durable');
    assert.deepEqual(
      progress.filter((s) => !claims.includes(s)),
      [writes[0]],
    );
    assert.equal(progress.length, claims.length + 1, 'every claim is progress');
  });

  it('a task end whose start the database lost records nothing; the run is taken up again and completes once', async () => {
    const { connectionId, iModelId } = await runnableConnection(h, ['undone.ifc']);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    const real = createConnectorResolver(h.config.runs.connectors, h.config.dataDir, h.config.runs.connectorProcesses);
    let attempts = 0;
    // The first attempt's start is undone while its connector runs, as a crash of the database server
    // right after that progress commit (which does not wait for the flush) would undo it.
    const connectors: ConnectorResolver = Object.assign(
      (type: Parameters<ConnectorResolver>[0]) => {
        const connector = real(type);
        return {
          ...connector,
          run: async (input: Parameters<typeof connector.run>[0]) => {
            if (attempts++ === 0) await sql`update run_tasks set state = 'NotStarted', started_at = null where run_id = ${runId}`.execute(counted.dialect.db);
            return connector.run(input);
          },
        };
      },
      { close: real.close },
    );
    const worker = new Worker({
      store: counted,
      blobs: h.blobs,
      dataDir: h.config.dataDir,
      settings: { ...h.config.runs, workerConcurrency: 1 },
      connectors,
      log: pino({ level: 'silent' }),
    });
    worker.start();
    let run: { result: string };
    try {
      ({ run } = await pollUntilCompleted(h, connectionId, runId));
    } finally {
      await worker.stop(1000);
    }
    assert.equal(attempts, 2, 'the task was executed again');
    assert.equal(run.result, 'Success');
    const changesets = await sql<{ n: string }>`select count(*) as n from changesets where imodel_id = ${iModelId}`.execute(counted.dialect.db);
    assert.equal(Number(changesets.rows[0]!.n), 1, 'one changeset: the first end recorded nothing');
    const tasks = await sql<{ state: string; started_at: string | null }>`select state, started_at from run_tasks where run_id = ${runId}`.execute(
      counted.dialect.db,
    );
    assert.deepEqual(
      tasks.rows.map((t) => [t.state, t.started_at !== null]),
      [['Completed', true]],
    );
  });

  it("the claim's planning is what planningOf reads at that moment; a run taken over while Executing comes without it", async () => {
    const { connectionId } = await runnableConnection(h, ['a.ifc', 'b.ifc']);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    const now = Date.now();
    try {
      const claimed = await counted.runs.claimNext('claim-test', now, 60_000);
      assert.equal(claimed?.run.id, runId);
      assert.ok(claimed.planning, 'read with the claim');
      assert.equal(claimed.planning.current.length, 2);
      assert.deepEqual(claimed.planning, await counted.runs.planningOf(connectionId));
      // Planned by a worker that then died: taken over once its lease ran out, with nothing to plan.
      await sql`update runs set state = 'Executing' where id = ${runId}`.execute(counted.dialect.db);
      const again = await counted.runs.claimNext('claim-test-2', now + 120_000, 60_000);
      assert.equal(again?.run.id, runId);
      assert.equal(again.run.state, 'Executing');
      assert.equal(again.planning, undefined);
    } finally {
      // Nothing left for a worker of another test to take up.
      await sql`update runs set state = 'Completed', result = 'Cancelled' where id = ${runId}`.execute(counted.dialect.db);
    }
  });

  it('progress connections commit without waiting for the flush; the others wait', async () => {
    const { dialect } = counted;
    const setting = async (db: Kysely<Database>) =>
      (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db)).rows[0]!.synchronous_commit;
    assert.equal(await setting(dialect.progressDb), 'off');
    assert.equal(await setting(dialect.db), 'on');
  });
});
