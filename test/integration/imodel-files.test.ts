import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import { imodelsDir } from '../../src/domain/imodels/imodel-file.js';
import { sweepOrphanIModelFiles } from '../../src/domain/imodels/sweep-orphan-files.js';
import { onEveryStore } from '../helpers/on-every-store.js';

onEveryStore('iModel files (what a builtin connector writes)', ({ h }) => {
  it('the start-up sweep removes the files of iModels that no longer exist, and nothing else', async () => {
    const kept = await h.imodel(await h.itwin());
    const orphan = randomUUID();
    const dir = imodelsDir(h.config.dataDir);
    fs.mkdirSync(path.join(dir, '.cache'), { recursive: true });
    const files = [`${kept}.bim`, `${kept}.bim-journal`, `${orphan}.bim`, `${orphan}.bim-wal`, '.cache/settings.json', 'notes.txt'];
    for (const name of files) fs.writeFileSync(path.join(dir, name), 'x');

    assert.equal(await sweepOrphanIModelFiles(h.store, h.config.dataDir), 1);
    const left = [...fs.readdirSync(dir), ...fs.readdirSync(path.join(dir, '.cache')).map((n) => `.cache/${n}`)].sort();
    assert.deepEqual(left, ['.cache', '.cache/settings.json', `${kept}.bim`, `${kept}.bim-journal`, 'notes.txt'].sort());
    assert.equal(await sweepOrphanIModelFiles(h.store, h.config.dataDir), 0, 'nothing more to do');
  });

  it('has nothing to do before any iModel file exists', async () => {
    fs.rmSync(imodelsDir(h.config.dataDir), { recursive: true, force: true });
    assert.equal(await sweepOrphanIModelFiles(h.store, h.config.dataDir), 0);
  });
});
