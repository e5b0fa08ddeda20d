import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { checkpointFileIn, imodelsDir } from '../../src/domain/imodels/imodel-file.js';
import { sweepOrphanIModelFiles } from '../../src/domain/imodels/sweep-orphan-files.js';
import { onEveryStore } from '../helpers/on-every-store.js';

onEveryStore('iModel files (what a builtin connector writes)', ({ h }) => {
  it('the start-up sweep removes the versions of iModels that no longer exist and old standalone files, and nothing else', async () => {
    const kept = await h.imodel(await h.itwin());
    const orphan = randomUUID();
    const dir = imodelsDir(h.config.dataDir);
    fs.mkdirSync(path.join(dir, '.cache'), { recursive: true });
    for (const file of [checkpointFileIn(dir, kept, 1), checkpointFileIn(dir, kept, 2), checkpointFileIn(dir, orphan, 1)]) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'x');
    }
    // Versions being written: one abandoned (untouched for two hours), one at work.
    const checkpoints = path.dirname(checkpointFileIn(dir, kept, 1));
    fs.writeFileSync(path.join(checkpoints, '.3.bim.111-old.tmp'), 'x');
    fs.writeFileSync(path.join(checkpoints, '.3.bim.222-new.tmp'), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(path.join(checkpoints, '.3.bim.111-old.tmp'), twoHoursAgo, twoHoursAgo);
    // Standalone files of an earlier twinsync, of an iModel that exists and of one that does not.
    const files = [`${kept}.bim`, `${kept}.bim-journal`, `${orphan}.bim`, `${orphan}.bim-wal`, '.cache/settings.json', 'notes.txt'];
    for (const name of files) fs.writeFileSync(path.join(dir, name), 'x');

    assert.equal(await sweepOrphanIModelFiles(h.store, h.config.dataDir), 2);
    const left = [...fs.readdirSync(dir), ...fs.readdirSync(path.join(dir, '.cache')).map((n) => `.cache/${n}`)].sort();
    assert.deepEqual(left, ['.cache', '.cache/settings.json', kept, 'notes.txt'].sort());
    assert.deepEqual(fs.readdirSync(path.join(dir, kept, 'checkpoints')).sort(), ['.3.bim.222-new.tmp', '1.bim', '2.bim']);
    assert.equal(await sweepOrphanIModelFiles(h.store, h.config.dataDir), 0, 'nothing more to do');
  });

  it('has nothing to do before any iModel file exists', async () => {
    fs.rmSync(imodelsDir(h.config.dataDir), { recursive: true, force: true });
    assert.equal(await sweepOrphanIModelFiles(h.store, h.config.dataDir), 0);
  });
});
