import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { checkpointsDirIn, imodelsDir } from '../../src/domain/imodels/imodel-file.js';
import type { Worker } from '../../src/worker/worker.js';
import { call } from '../helpers/api.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { newContentVersion, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';

/**
 * An operator's converter that writes each version as a file where it is told to (as the builtin
 * IFC connector does with Snapshot iModels), so that pruning is exercised without iTwin.js.
 */
function versionWritingEnv() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-versions-'));
  const program = path.join(dir, 'convert.sh');
  fs.writeFileSync(
    program,
    '#!/bin/sh\nmkdir -p "$(dirname "$TWINSYNC_CHECKPOINT_FILE")" && printf "version %s" "$TWINSYNC_CHANGESET_INDEX" > "$TWINSYNC_CHECKPOINT_FILE"\n',
    {
      mode: 0o755,
    },
  );
  return runEnv({ types: { DWG: { kind: 'command', command: program, args: [] } } }, { CHECKPOINTS_KEPT: '2' });
}

onEveryStore('checkpoint files kept and pruned (CHECKPOINTS_KEPT)', { env: versionWritingEnv }, ({ h }) => {
  let worker: Worker;
  before(() => {
    worker = startWorker(h);
  });
  after(() => worker?.stop(1000));

  it('keeps the newest CHECKPOINTS_KEPT and every named version’s; a pruned changeset answers the preceding kept checkpoint', async () => {
    const { iModelId, fileIds, connectionId } = await runnableConnection(h, ['plan.dwg'], { connectorType: 'DWG' });
    const run = async () => {
      const started = await startRun(h, connectionId);
      assert.equal(started.statusCode, 202);
      const { run } = await pollUntilCompleted(h, connectionId, runIdOf(started.headers.location as string));
      assert.equal(run.result, 'Success', JSON.stringify(run));
    };
    await run();
    const named = await call(h, 'POST', `/imodels/${iModelId}/namedversions`, { body: { name: 'First', changesetIndex: 1 } });
    assert.equal(named.statusCode, 201, named.body);
    for (const n of [2, 3, 4]) {
      await newContentVersion(h, fileIds[0]!, `plan, version ${n}`);
      await run();
    }

    const dir = checkpointsDirIn(imodelsDir(h.config.dataDir), iModelId);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['1.bim', '3.bim', '4.bim'], 'the named version’s and the newest two');
    assert.equal(fs.readFileSync(path.join(dir, '1.bim'), 'utf8'), 'version 1');
    const checkpointOf = async (index: number) => (await call(h, 'GET', `/imodels/${iModelId}/changesets/${index}/checkpoint`)).json().checkpoint;
    assert.equal((await checkpointOf(2)).changesetIndex, 1, 'pruned: the preceding kept one');
    assert.equal((await checkpointOf(3)).changesetIndex, 3);
    const latest = (await call(h, 'GET', `/imodels/${iModelId}/checkpoint`)).json().checkpoint;
    assert.deepEqual([latest.changesetIndex, latest.state], [4, 'successful']);
    const href = new URL(latest._links.download.href);
    const file = await h.app.inject({ method: 'GET', url: `${href.pathname}${href.search}` });
    assert.deepEqual([file.statusCode, file.body], [200, 'version 4']);
  });
});
