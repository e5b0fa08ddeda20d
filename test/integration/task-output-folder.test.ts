import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { it, mock } from 'node:test';
import { sql } from 'kysely';
import type { Connector, ConnectorInput, ConnectorOutcome, ConnectorResolver } from '../../src/connectors/connector.js';
import { connectorErrors } from '../../src/connectors/errors.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { newWorker, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun } from '../helpers/runs.js';

/**
 * A task's output folder between attempts: an attempt after a failed one starts from an empty
 * folder, whatever the failed one left there; a first attempt costs no removal at all (nothing can
 * be there yet, and a removal per task was a tenth of an emulated run's cost). The removals are
 * watched on Node's fs.promises.rm, passed through. A task taken over from a worker that lost it
 * starts from an empty folder too.
 */
/** What the test connectors answer when they succeed. */
const SUCCESS: ConnectorOutcome = {
  report: { suggestedAction: 'None', message: '', totalErrorsCount: 0, totalWarningsCount: 0, totalOtherIssuesCount: 0 },
};

onEveryStore('task output folders', { env: runEnv() }, ({ h }) => {
  it('a retried attempt finds the folder the failed one wrote into empty; the first attempt removes nothing', async () => {
    const seen: { attempt: number; outputDir: string; leftover: boolean }[] = [];
    const connector: Connector = {
      kind: 'emulate',
      writesVersionFiles: false,
      usesSettings: false,
      async run(input: ConnectorInput) {
        const leftover = fs.existsSync(path.join(input.outputDir, 'partial.out'));
        seen.push({ attempt: input.attempt, outputDir: input.outputDir, leftover });
        if (input.attempt === 0) {
          fs.mkdirSync(input.outputDir, { recursive: true });
          fs.writeFileSync(path.join(input.outputDir, 'partial.out'), 'half a result');
          throw connectorErrors.emulated('Flaky', 'failed halfway, retryable', true);
        }
        return SUCCESS;
      },
    };
    const connectors: ConnectorResolver = () => connector;
    const removals = mock.method(fs.promises, 'rm');
    const { connectionId } = await runnableConnection(h, ['one.ifc']);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    const worker = newWorker(h, { settings: { workerConcurrency: 1 }, connectors });
    worker.start();
    try {
      const { run } = await pollUntilCompleted(h, connectionId, runId);
      assert.equal(run.result, 'Success');
    } finally {
      await worker.stop(1000);
      removals.mock.restore();
    }
    assert.deepEqual(
      seen.map(({ attempt, leftover }) => ({ attempt, leftover })),
      [
        { attempt: 0, leftover: false },
        { attempt: 1, leftover: false },
      ],
    );
    const outputDir = seen[0]!.outputDir;
    assert.equal(seen[1]!.outputDir, outputDir, 'both attempts write into the task folder');
    const removalsOfFolder = removals.mock.calls.filter((call) => call.arguments[0] === outputDir);
    assert.equal(removalsOfFolder.length, 1, 'removed before the second attempt only');
  });

  it('a task taken over from a worker that lost its lease finds the folder that worker wrote into empty', async () => {
    let firstDone = false;
    const seen: { attempt: number; leftover: boolean }[] = [];
    const connector: Connector = {
      kind: 'emulate',
      writesVersionFiles: false,
      usesSettings: false,
      async run(input: ConnectorInput) {
        seen.push({ attempt: input.attempt, leftover: fs.existsSync(path.join(input.outputDir, 'partial.out')) });
        if (seen.length > 1) return SUCCESS;
        // The first worker writes half a result, then works on until it is told its lease is gone.
        fs.mkdirSync(input.outputDir, { recursive: true });
        fs.writeFileSync(path.join(input.outputDir, 'partial.out'), 'half a result');
        await new Promise((resolve) => input.signal.addEventListener('abort', resolve, { once: true }));
        firstDone = true;
        throw connectorErrors.emulated('Stopped', 'its worker lost the run', true);
      },
    };
    const worker = () => newWorker(h, { settings: { workerConcurrency: 1 }, connectors: () => connector });
    const { connectionId } = await runnableConnection(h, ['taken.ifc']);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    const first = worker();
    first.start();
    try {
      const deadline = Date.now() + 10_000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(seen.length, 1, 'the first worker is running the task');
      // Its lease given away, as when it stalls past it: its next renewal finds the run no longer its own.
      await sql`update runs set lease_owner = ${'a worker that is gone'}, lease_expires_ms = 0 where id = ${runId}`.execute(h.store.db);
      while (!firstDone && Date.now() < deadline + 10_000) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(firstDone, 'the first worker gave the task up');
    } finally {
      await first.stop(1000);
    }
    const second = worker();
    second.start();
    try {
      const { run } = await pollUntilCompleted(h, connectionId, runId);
      assert.equal(run.result, 'Success');
    } finally {
      await second.stop(1000);
    }
    // The same attempt (no failure was recorded), from a clean folder.
    assert.deepEqual(seen, [
      { attempt: 0, leftover: false },
      { attempt: 0, leftover: false },
    ]);
  });
});
