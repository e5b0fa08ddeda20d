import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MAX_UNKNOWN_FLAGS } from '../../src/domain/configurations/body.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { completedFile, newIModel, newITwin, type Client } from '../helpers/platform.js';
import { createBody, postCreate } from '../helpers/requests.js';
import { call } from '../helpers/api.js';
import { pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';

const CFG = '/synchronization/configurations';

const ITWIN_DEFAULTS = {
  uploadDgnRealityData: true,
  convertDgnTerrainModels: false,
  squashIntermediateRevisions: false,
  skipRvtReprojection: false,
  convertDgnHyperModelingSections: true,
};
const IMODEL_DEFAULTS = { clampZExtent: false, enableFileNamePolicy: false, overrideRvtReprojectionDistance: 0, ignoreIfcGlobalIds: false };
const CONNECTION_DEFAULTS = { reclassifyDgnElements: false, ignoreDgnAttachments: false, enableSheetsAndDrawings: false };

/** The Synchronization API's Configurations (docs/api-contract.md, "Configurations"), through HTTP. */
onEveryStore('configurations', ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');
  const reader = client('alice', ['synchronization:read']);
  const modifier = client('alice', ['synchronization:modify']);
  let files = 0;

  /** A fresh iTwin of Alice's with an iModel and a storage connection in it. */
  async function scopes(c: Client = alice) {
    const itwin = await newITwin(c);
    const iModelId = await newIModel(c, itwin.id);
    const fileId = await completedFile(h, c, itwin.rootFolderId, `file-${++files}.ifc`);
    const created = await postCreate(h, createBody(iModelId, [fileId]), { token: c.token });
    assert.equal(created.statusCode, 201, created.body);
    const connectionId = created.json().connection.id as string;
    return {
      iTwinId: itwin.id,
      iModelId,
      connectionId,
      itwin: `${CFG}/itwins/${itwin.id}`,
      imodel: `${CFG}/imodels/${iModelId}`,
      connection: `${CFG}/connections/${connectionId}`,
    };
  }

  describe('each level: create, get, patch, delete', () => {
    const cases = [
      { level: 'itwin', body: { convertDgnTerrainModels: true, uploadDgnRealityData: false }, defaults: ITWIN_DEFAULTS },
      { level: 'imodel', body: { clampZExtent: true, overrideRvtReprojectionDistance: 250.5 }, defaults: { ...ITWIN_DEFAULTS, ...IMODEL_DEFAULTS } },
      {
        level: 'connection',
        body: { enableSheetsAndDrawings: true },
        defaults: { ...ITWIN_DEFAULTS, ...IMODEL_DEFAULTS, ...CONNECTION_DEFAULTS },
      },
    ] as const;
    for (const c of cases) {
      it(`${c.level}: POST 201, GET 200, PATCH 200 (merge, null removes), DELETE 204, then 404`, async () => {
        const s = await scopes();
        const url = s[c.level];
        const scopeId = { itwin: s.iTwinId, imodel: s.iModelId, connection: s.connectionId }[c.level];

        assert.equal((await alice.get(url)).status, 404);
        assert.equal((await alice.get(url)).json().error.code, 'ConfigurationNotFound');
        assert.equal((await alice.patch(url, {})).json().error.code, 'ConfigurationNotFound');
        assert.equal((await alice.delete(url)).json().error.code, 'ConfigurationNotFound');

        const created = await alice.post(url, c.body);
        assert.equal(created.status, 201, created.body);
        assert.equal(created.headers.location, `http://twinsync.test${url}`);
        const expected = { configuration: { scopeId, settings: c.body, resolvedSettings: { ...c.defaults, ...c.body } } };
        assert.deepEqual(created.json(), expected);
        assert.deepEqual((await alice.get(url)).json(), expected);

        const again = await alice.post(url, c.body);
        assert.equal(again.status, 409);
        assert.equal(again.json().error.code, 'ConfigurationAlreadyExists');

        const [first, ...rest] = Object.keys(c.body);
        const patched = await alice.patch(url, { [first!]: null, customFlag: 'kept' });
        assert.equal(patched.status, 200, patched.body);
        const settings = { ...Object.fromEntries(rest.map((k) => [k, (c.body as Record<string, unknown>)[k]])), customFlag: 'kept' };
        assert.deepEqual(patched.json().configuration.settings, settings);
        assert.deepEqual(patched.json().configuration.resolvedSettings, { ...c.defaults, ...settings });
        assert.deepEqual((await alice.get(url)).json(), patched.json());

        const deleted = await alice.delete(url);
        assert.equal(deleted.status, 204);
        assert.equal(deleted.body, '');
        assert.equal(deleted.headers['content-type'], undefined);
        assert.equal((await alice.get(url)).json().error.code, 'ConfigurationNotFound');
        assert.equal((await alice.post(url, {})).status, 201, 'a scope can be configured again after a delete');
      });
    }

    it('answers camel-case paths, and ids in any case, as the lower-case ones', async () => {
      const s = await scopes();
      assert.equal((await alice.post(`/synchronization/Configurations/iTwins/${s.iTwinId.toUpperCase()}`, { skipRvtReprojection: true })).status, 201);
      const got = await alice.get(`/synchronization/configurations/itwins/${s.iTwinId}`);
      assert.equal(got.json().configuration.scopeId, s.iTwinId);
      assert.equal((await alice.get(`/synchronization/configurations/iModels/${s.iModelId}`)).json().error.code, 'ConfigurationNotFound');
      assert.equal((await alice.post(`/Synchronization/Configurations/Connections/${s.connectionId}`, {})).status, 201);
    });
  });

  it('resolvedSettings: connection over iModel over iTwin over defaults', async () => {
    const s = await scopes();
    // A connection without a configuration of its own has none to get, but its iModel's resolves through the iTwin.
    assert.equal((await alice.post(s.itwin, { uploadDgnRealityData: false, shared: 'itwin', fromITwin: 1 })).status, 201);
    assert.equal((await alice.post(s.imodel, { clampZExtent: true, shared: 'imodel' })).status, 201);
    const imodel = (await alice.get(s.imodel)).json().configuration;
    assert.deepEqual(imodel.resolvedSettings, {
      ...ITWIN_DEFAULTS,
      ...IMODEL_DEFAULTS,
      uploadDgnRealityData: false,
      clampZExtent: true,
      shared: 'imodel',
      fromITwin: 1,
    });
    assert.equal((await alice.post(s.connection, { ignoreDgnAttachments: true, SHARED: 'connection' })).status, 201);
    const connection = (await alice.get(s.connection)).json().configuration;
    assert.deepEqual(connection.settings, { ignoreDgnAttachments: true, SHARED: 'connection' });
    assert.deepEqual(connection.resolvedSettings, {
      ...ITWIN_DEFAULTS,
      ...IMODEL_DEFAULTS,
      ...CONNECTION_DEFAULTS,
      uploadDgnRealityData: false,
      clampZExtent: true,
      ignoreDgnAttachments: true,
      fromITwin: 1,
      SHARED: 'connection',
    });
    // The iTwin's resolves only its own level; a change above shows at once below.
    assert.deepEqual(
      Object.keys((await alice.get(s.itwin)).json().configuration.resolvedSettings).sort(),
      [...Object.keys(ITWIN_DEFAULTS), 'fromITwin', 'shared'].sort(),
    );
    assert.equal((await alice.patch(s.itwin, { uploadDgnRealityData: null })).status, 200);
    assert.equal((await alice.get(s.connection)).json().configuration.resolvedSettings.uploadDgnRealityData, true);
    assert.equal((await alice.delete(s.imodel)).status, 204);
    const after = (await alice.get(s.connection)).json().configuration.resolvedSettings;
    assert.equal(after.clampZExtent, false);
    assert.equal(after.SHARED, 'connection');
    assert.equal(after.shared, undefined, 'the connection spelling replaced the wider one');
  });

  it('keeps unknown flags of every JSON scalar type, names in any case, and replaces them by PATCH in any case', async () => {
    const s = await scopes();
    const flags = { futureFlag: true, levelOfDetail: 2, mode: 'fast', 'dotted.name-x_1': false };
    assert.deepEqual((await alice.post(s.connection, flags)).json().configuration.settings, flags);
    const patched = await alice.patch(s.connection, { FUTUREFLAG: false, ENABLESHEETSANDDRAWINGS: true });
    assert.deepEqual(patched.json().configuration.settings, {
      levelOfDetail: 2,
      mode: 'fast',
      'dotted.name-x_1': false,
      FUTUREFLAG: false,
      enableSheetsAndDrawings: true,
    });
  });

  describe('malformed requests are 422s that change nothing', () => {
    let s: Awaited<ReturnType<typeof scopes>>;
    const stored = { ignoreDgnAttachments: true, custom: 'x' };
    before(async () => {
      s = await scopes();
      assert.equal((await alice.post(s.connection, stored)).status, 201);
    });

    async function unchanged() {
      assert.deepEqual((await alice.get(s.connection)).json().configuration.settings, stored);
    }
    async function refused(res: { status: number; json(): any }, code: string, targets: string[]) {
      assert.equal(res.status, 422);
      const error = res.json().error;
      assert.equal(error.code, code);
      assert.equal(error.message, 'Cannot perform operation.');
      assert.deepEqual(error.details.map((d: { target?: string }) => d.target).sort(), [...targets].sort(), JSON.stringify(error.details));
      await unchanged();
    }

    it('a wrong type for a known flag names it; every problem in one answer', async () => {
      await refused(await alice.patch(s.connection, { enableSheetsAndDrawings: 'yes', ignoreDgnAttachments: 1 }), 'InvalidConfigurationRequest', [
        'enableSheetsAndDrawings',
        'ignoreDgnAttachments',
      ]);
      const imodel = await alice.post(s.imodel, { overrideRvtReprojectionDistance: -1, clampZExtent: 'true' });
      assert.deepEqual(
        imodel
          .json()
          .error.details.map((d: { target: string }) => d.target)
          .sort(),
        ['clampZExtent', 'overrideRvtReprojectionDistance'],
      );
      assert.equal((await alice.get(s.imodel)).status, 404, 'nothing was created');
    });

    it('a flag of another level is refused, naming it and the level it belongs to', async () => {
      const res = await alice.patch(s.connection, { uploadDgnRealityData: false, clampZExtent: true });
      await refused(res, 'InvalidConfigurationRequest', ['clampZExtent', 'uploadDgnRealityData']);
      assert.match(res.json().error.details.find((d: { target: string }) => d.target === 'clampZExtent').message, /iModel/);
    });

    it('unknown flags: objects, arrays, long strings, bad names, duplicates in any case', async () => {
      await refused(
        await alice.patch(s.connection, { nested: { a: 1 }, list: [1], long: 'x'.repeat(1001), 'bad name!': true, dup: 1, DUP: 2 }),
        'InvalidConfigurationRequest',
        ['nested', 'list', 'long', 'settings', 'DUP'],
      );
    });

    it('__proto__ is refused by name (a plain object cannot hold it: it would be lost silently), and nothing is written', async () => {
      // Sent as text: a JSON body can name __proto__ as an own property, which an object literal here cannot.
      await refused(await alice.post(s.connection, '{"__proto__": true, "keptOtherwise": 1}'), 'InvalidConfigurationRequest', ['__proto__']);
    });

    it(`more than ${MAX_UNKNOWN_FLAGS} unknown flags in a configuration, counted after the merge`, async () => {
      const many = Object.fromEntries(Array.from({ length: MAX_UNKNOWN_FLAGS }, (_, i) => [`f${i}`, i]));
      await refused(await alice.patch(s.connection, many), 'InvalidConfigurationRequest', ['settings']);
      const justEnough = Object.fromEntries(Array.from({ length: MAX_UNKNOWN_FLAGS - 1 }, (_, i) => [`f${i}`, i]));
      const other = await scopes();
      assert.equal((await alice.post(other.itwin, justEnough)).status, 201);
      assert.equal((await alice.patch(other.itwin, { one: 1 })).status, 200);
      assert.equal((await alice.patch(other.itwin, { two: 2 })).status, 422);
      assert.equal((await alice.patch(other.itwin, { one: null, two: 2 })).status, 200);
    });

    it('no body, malformed JSON, not an object', async () => {
      await refused(await alice.request('PATCH', s.connection), 'MissingRequestBody', [undefined as unknown as string]);
      const missing = await alice.request('POST', (await scopes()).itwin);
      assert.equal(missing.json().error.code, 'MissingRequestBody');
      await refused(await alice.request('PATCH', s.connection, '{"a":', { 'content-type': 'application/json' }), 'InvalidConfigurationRequest', [
        undefined as unknown as string,
      ]);
      await refused(await alice.patch(s.connection, [true]), 'InvalidConfigurationRequest', [undefined as unknown as string]);
      await refused(await alice.patch(s.connection, 'text'), 'InvalidConfigurationRequest', [undefined as unknown as string]);
    });

    it('a malformed id is a 422 naming the parameter; an unknown one the 404 of its scope', async () => {
      for (const [url, target] of [
        [`${CFG}/itwins/not-a-guid`, 'iTwinId'],
        [`${CFG}/imodels/not-a-guid`, 'iModelId'],
        [`${CFG}/connections/short`, 'connectionId'],
      ] as const) {
        const res = await alice.get(url);
        assert.equal(res.status, 422, url);
        assert.deepEqual(res.json().error.details, [{ code: 'InvalidValue', message: `Provided ${target} value is not valid.`, target }]);
      }
      const guid = '00000000-0000-4000-8000-000000000000';
      assert.equal((await alice.post(`${CFG}/itwins/${guid}`, {})).json().error.code, 'iTwinNotFound');
      assert.equal((await alice.get(`${CFG}/imodels/${guid}`)).json().error.code, 'iModelNotFound');
      assert.equal((await alice.patch(`${CFG}/connections/${'A'.repeat(43)}`, {})).json().error.code, 'StorageConnectionNotFound');
    });
  });

  it('a non-member gets 403 on every operation of every level, and changes nothing', async () => {
    const s = await scopes();
    for (const url of [s.itwin, s.imodel, s.connection]) assert.equal((await alice.post(url, {})).status, 201);
    for (const url of [s.itwin, s.imodel, s.connection]) {
      for (const res of [await bob.get(url), await bob.post(url, {}), await bob.patch(url, { x: 1 }), await bob.delete(url)]) {
        assert.equal(res.status, 403, url);
        assert.equal(res.json().error.code, 'InsufficientPermissions');
      }
      assert.deepEqual((await alice.get(url)).json().configuration.settings, {});
    }
  });

  it('scopes: synchronization:read may only read, synchronization:modify may write', async () => {
    const s = await scopes();
    assert.equal((await modifier.post(s.imodel, { clampZExtent: true })).status, 201);
    assert.equal((await reader.get(s.imodel)).status, 200);
    for (const res of [await reader.post(s.itwin, {}), await reader.patch(s.imodel, { clampZExtent: false }), await reader.delete(s.imodel)]) {
      assert.equal(res.status, 401);
      assert.equal(res.json().error.code, 'RequiredScopeMissing');
    }
    assert.equal((await alice.get(s.imodel)).json().configuration.settings.clampZExtent, true);
    assert.equal((await alice.get(s.itwin)).status, 404);
  });

  it('deleting a connection, an iModel or an iTwin takes its configurations with it', async () => {
    const s = await scopes();
    for (const url of [s.itwin, s.imodel, s.connection]) assert.equal((await alice.post(url, { k: 1 })).status, 201);
    assert.equal((await alice.delete(`/synchronization/imodels/storageconnections/${s.connectionId}`)).status, 204);
    assert.equal((await alice.get(s.connection)).json().error.code, 'StorageConnectionNotFound');
    assert.equal((await alice.delete(`/imodels/${s.iModelId}`)).status, 204);
    assert.equal((await alice.get(s.imodel)).json().error.code, 'iModelNotFound');
    assert.equal((await alice.delete(`/itwins/${s.iTwinId}`)).status, 204);
    assert.equal((await alice.get(s.itwin)).json().error.code, 'iTwinNotFound');
    const left = await h.store.db.selectFrom('itwin_configurations').select('itwin_id').where('itwin_id', '=', s.iTwinId).execute();
    assert.deepEqual(left, []);
    const leftIModel = await h.store.db.selectFrom('imodel_configurations').select('imodel_id').where('imodel_id', '=', s.iModelId).execute();
    assert.deepEqual(leftIModel, []);
    const leftConnection = await h.store.db
      .selectFrom('connection_configurations')
      .select('connection_id')
      .where('connection_id', '=', s.connectionId)
      .execute();
    assert.deepEqual(leftConnection, []);
  });

  it('concurrent PATCHes of different flags all apply', async () => {
    const s = await scopes();
    assert.equal((await alice.post(s.itwin, {})).status, 201);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => alice.patch(s.itwin, { [`flag${i}`]: i })));
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(12).fill(200),
    );
    const settings = (await alice.get(s.itwin)).json().configuration.settings;
    assert.deepEqual(settings, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`flag${i}`, i])));
  });
});

// A connector program of each suite's own: keeps the settings file and two of the variables it was given.
let programDir: string;
function settingsProgramEnv() {
  programDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-settings-'));
  const program = path.join(programDir, 'convert.sh');
  fs.writeFileSync(
    program,
    '#!/bin/sh\nout="$SEEN_DIR/$TWINSYNC_STORAGE_FILE_ID"\ncp "$TWINSYNC_SETTINGS_FILE" "$out.json" || exit 9\n' +
      'printf "%s %s %s" "$TWINSYNC_SETTING_CLAMP_Z_EXTENT" "$TWINSYNC_SETTING_UPLOAD_DGN_REALITY_DATA" "$TWINSYNC_SETTING_OVERRIDE_RVT_REPROJECTION_DISTANCE" > "$out.env"\n',
    { mode: 0o755 },
  );
  return runEnv({
    default: { kind: 'emulate', durationMs: 0, recordSettings: true },
    types: { DWG: { kind: 'command', command: program, env: { SEEN_DIR: programDir } } },
  });
}

onEveryStore('configurations reach connectors', { env: settingsProgramEnv }, ({ h }) => {
  after(() => fs.rmSync(programDir, { recursive: true, force: true }));

  async function configure(c: { itwin: { id: string }; iModelId: string; connectionId: string }) {
    for (const [url, body] of [
      [`${CFG}/itwins/${c.itwin.id}`, { uploadDgnRealityData: false, tier: 'gold' }],
      [`${CFG}/imodels/${c.iModelId}`, { overrideRvtReprojectionDistance: 12.5 }],
      [`${CFG}/connections/${c.connectionId}`, { enableSheetsAndDrawings: true, oddName: 3 }],
    ] as const) {
      const res = await call(h, 'POST', url, { body });
      assert.equal(res.statusCode, 201, res.body);
    }
  }
  const expected = {
    ...ITWIN_DEFAULTS,
    ...IMODEL_DEFAULTS,
    ...CONNECTION_DEFAULTS,
    uploadDgnRealityData: false,
    tier: 'gold',
    overrideRvtReprojectionDistance: 12.5,
    enableSheetsAndDrawings: true,
    oddName: 3,
  };

  it('a command connector finds the resolved settings in its folder and its environment, as they were when the run started', async () => {
    const c = await runnableConnection(h, ['a.dwg', 'b.dwg'], { connectorType: 'DWG' });
    await configure(c);
    const runId = runIdOf((await startRun(h, c.connectionId)).headers.location as string);
    // Changed after the run was queued, before it started: the run sees the change.
    assert.equal((await call(h, 'PATCH', `${CFG}/imodels/${c.iModelId}`, { body: { clampZExtent: true } })).statusCode, 200);
    const worker = startWorker(h);
    try {
      const { run } = await pollUntilCompleted(h, c.connectionId, runId);
      assert.equal(run.result, 'Success', JSON.stringify(run.jobs));
      for (const task of run.jobs[0].tasks) {
        const seen = path.join(programDir, task.storageFileId as string);
        assert.deepEqual(JSON.parse(fs.readFileSync(`${seen}.json`, 'utf8')), { ...expected, clampZExtent: true });
        assert.equal(fs.readFileSync(`${seen}.env`, 'utf8'), 'true false 12.5');
      }
    } finally {
      await worker.stop(1000);
    }
  });

  it('an emulated connector configured to record them shows them in its task details; defaults without configurations', async () => {
    const c = await runnableConnection(h, ['a.ifc']);
    const plain = await runnableConnection(h, ['b.ifc']);
    await configure(c);
    const worker = startWorker(h);
    try {
      for (const [connection, settings] of [
        [c, expected],
        [plain, { ...ITWIN_DEFAULTS, ...IMODEL_DEFAULTS, ...CONNECTION_DEFAULTS }],
      ] as const) {
        const runId = runIdOf((await startRun(h, connection.connectionId)).headers.location as string);
        const { run } = await pollUntilCompleted(h, connection.connectionId, runId);
        assert.equal(run.result, 'Success');
        assert.deepEqual(run.jobs[0].tasks[0].details.resolvedSettings, settings);
      }
    } finally {
      await worker.stop(1000);
    }
  });
});
