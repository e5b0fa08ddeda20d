import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Worker } from '../../src/worker/worker.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { newContentVersion, pollUntilCompleted, runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';
import { call } from '../helpers/api.js';

const CE = '/changedelements';
const EMPTY = {
  elements: [],
  classIds: [],
  opcodes: [],
  type: [],
  modelIds: [],
  parentIds: [],
  parentClassIds: [],
  properties: [],
  oldChecksums: [],
  newChecksums: [],
};

/**
 * The Changed Elements API over emulated runs (which record no element changes): tracking, which
 * changesets are ready, comparisons' rules, validation and visibility. What a real IFC re-sync
 * records is tested in changed-elements-ifc.test.ts.
 */
onEveryStore('changed elements', { env: runEnv() }, ({ h, client }) => {
  const alice = client('alice');
  const bob = client('bob');
  let worker: Worker;
  let fx: { iModelId: string; iTwinId: string; connectionId: string; fileIds: string[] };

  before(async () => {
    worker = startWorker(h);
    const { iModelId, itwin, connectionId, fileIds } = await runnableConnection(h, ['a.dgn', 'b.dgn']);
    fx = { iModelId, iTwinId: itwin.id, connectionId, fileIds };
  });
  after(() => worker?.stop(1000));

  const q = (extra: Record<string, string> = {}) => new URLSearchParams({ iModelId: fx.iModelId, iTwinId: fx.iTwinId, ...extra }).toString();
  const put = (enable: unknown, extra: Record<string, unknown> = {}, subject = 'alice') =>
    call(h, 'PUT', `${CE}/tracking`, { body: { enable, iModelId: fx.iModelId, iTwinId: fx.iTwinId, ...extra }, subject });
  async function runOnce(): Promise<void> {
    const started = await startRun(h, fx.connectionId);
    assert.equal(started.statusCode, 202, started.body);
    const { run } = await pollUntilCompleted(h, fx.connectionId, runIdOf(started.headers.location as string));
    assert.equal(run.result, 'Success');
  }
  /** New content in both files: the next run makes one changeset per file. */
  async function changeFiles(version: number): Promise<void> {
    for (const id of fx.fileIds) await newContentVersion(h, id, `version ${version} of ${id}`);
  }
  async function statuses() {
    const res = await alice.get(`${CE}/changesets?${q()}`);
    assert.equal(res.status, 200, res.body);
    return res.json().changesetStatus as { id: string; index: number; ready: boolean }[];
  }

  it('tracking is off until enabled; PUT answers 202 with no body and no Content-Type; enabling twice keeps it', async () => {
    assert.deepEqual((await alice.get(`${CE}/tracking?${q()}`)).json(), { enabled: false });
    // Two changesets made before tracking: not processed.
    await runOnce();
    const enabled = await put(true);
    assert.equal(enabled.statusCode, 202);
    assert.equal(enabled.body, '');
    assert.equal(enabled.headers['content-type'], undefined);
    assert.deepEqual((await alice.get(`${CE}/tracking?${q()}`)).json(), { enabled: true });
    assert.equal((await put(true)).statusCode, 202);
    assert.deepEqual(
      (await statuses()).map((s) => [s.index, s.ready]),
      [
        [1, false],
        [2, false],
      ],
    );
  });

  it('changesets made while tracking are ready; after disabling none is; re-enabling starts again from the next', async () => {
    await changeFiles(1);
    await runOnce();
    let list = await statuses();
    assert.deepEqual(
      list.map((s) => [s.index, s.ready]),
      [
        [1, false],
        [2, false],
        [3, true],
        [4, true],
      ],
    );
    assert.ok(list.every((s) => /^[0-9a-f]{40}$/.test(s.id)));

    // An emulated connector records no element changes: the comparison is empty, in the documented shape.
    const one = await alice.get(`${CE}/comparison?${q({ startChangesetId: list[2]!.id, endChangesetId: list[3]!.id })}`);
    assert.equal(one.status, 200, one.body);
    assert.deepEqual(one.json(), { changedElements: EMPTY });

    // Including a changeset made before tracking: refused, naming it.
    const early = await alice.get(`${CE}/comparison?${q({ startChangesetId: list[1]!.id, endChangesetId: list[3]!.id })}`);
    assert.equal(early.status, 422);
    assert.equal(early.json().error.code, 'InvalidChangedElementsRequest');
    assert.deepEqual(
      early.json().error.details.map((d: { code: string; target: string }) => [d.code, d.target]),
      [['ChangesetNotProcessed', 'startChangesetId']],
    );

    assert.equal((await put(false)).statusCode, 202);
    assert.deepEqual((await alice.get(`${CE}/tracking?${q()}`)).json(), { enabled: false });
    assert.ok((await statuses()).every((s) => !s.ready));
    const off = await alice.get(`${CE}/comparison?${q({ startChangesetId: list[2]!.id, endChangesetId: list[2]!.id })}`);
    assert.equal(off.status, 422);

    // Made while disabled, then tracking enabled again: only what follows is processed.
    await changeFiles(2);
    await runOnce();
    assert.equal((await put(true)).statusCode, 202);
    await changeFiles(3);
    await runOnce();
    list = await statuses();
    assert.deepEqual(
      list.map((s) => s.ready),
      [false, false, false, false, false, false, true, true],
    );
  });

  it('pages with $top and $skip, with links that repeat the iModel and iTwin', async () => {
    const res = await alice.get(`${CE}/changesets?${q({ $top: '3', $skip: '2' })}`);
    assert.equal(res.status, 200);
    const body = res.json();
    assert.deepEqual(
      body.changesetStatus.map((s: { index: number }) => s.index),
      [3, 4, 5],
    );
    assert.match(body._links.self.href, new RegExp(`/changedelements/changesets\\?iTwinId=${fx.iTwinId}&iModelId=${fx.iModelId}&\\$skip=2&\\$top=3$`));
    assert.match(body._links.next.href, /\$skip=5&\$top=3$/);
    assert.match(body._links.prev.href, /\$skip=0&\$top=3$/);
    const bad = await alice.get(`${CE}/changesets?${q({ $top: 'many' })}`);
    assert.equal(bad.status, 422);
  });

  it('a comparison whose start comes after its end, or with ids that are not changesets, is refused', async () => {
    const list = await statuses();
    const backwards = await alice.get(`${CE}/comparison?${q({ startChangesetId: list[7]!.id, endChangesetId: list[6]!.id })}`);
    assert.equal(backwards.status, 422);
    assert.equal(backwards.json().error.details[0].target, 'startChangesetId');
    const unknown = await alice.get(`${CE}/comparison?${q({ startChangesetId: 'a'.repeat(40), endChangesetId: list[6]!.id })}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error.code, 'ChangesetNotFound');
    const malformed = await alice.get(`${CE}/comparison?${q({ startChangesetId: 'nope' })}`);
    assert.equal(malformed.status, 422);
    assert.deepEqual(
      malformed.json().error.details.map((d: { code: string; target: string }) => [d.code, d.target]),
      [
        ['InvalidParameter', 'startChangesetId'],
        ['MissingRequiredParameter', 'endChangesetId'],
      ],
    );
  });

  it('validates the PUT body, every problem at once, and changes nothing', async () => {
    const before = (await alice.get(`${CE}/tracking?${q()}`)).json();
    const bad = await call(h, 'PUT', `${CE}/tracking`, { body: { enable: 'yes' } });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json().error.code, 'InvalidChangedElementsRequest');
    assert.deepEqual(
      bad.json().error.details.map((d: { code: string; target: string }) => [d.code, d.target]),
      [
        ['InvalidValue', 'enable'],
        ['MissingRequiredProperty', 'iModelId'],
      ],
    );
    assert.equal((await call(h, 'PUT', `${CE}/tracking`, { body: { iModelId: fx.iModelId } })).statusCode, 422);
    assert.equal((await call(h, 'PUT', `${CE}/tracking`, { body: '{"enable":', headers: { 'content-type': 'application/json' } })).statusCode, 422);
    assert.equal((await call(h, 'PUT', `${CE}/tracking`, {})).statusCode, 422);
    // projectId, the iTwin's former name, is accepted.
    assert.equal((await put(true, { iTwinId: undefined, projectId: fx.iTwinId })).statusCode, 202);
    assert.deepEqual((await alice.get(`${CE}/tracking?${q()}`)).json(), before);
    const missing = await alice.get(`${CE}/tracking?iTwinId=${fx.iTwinId}`);
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.json().error.details, [
      { code: 'MissingRequiredParameter', message: 'Required parameter iModelId is missing.', target: 'iModelId' },
    ]);
  });

  it('visibility: 404 for an unknown iModel or one outside the given iTwin, 403 for a non-member, 401 without the scope', async () => {
    const unknown = await alice.get(`${CE}/tracking?iModelId=${crypto.randomUUID()}`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error.code, 'iModelNotFound');
    const otherITwin = await h.itwin();
    const elsewhere = await alice.get(`${CE}/changesets?iModelId=${fx.iModelId}&iTwinId=${otherITwin.id}`);
    assert.equal(elsewhere.status, 404);
    assert.equal((await alice.get(`${CE}/changesets?iModelId=not-a-guid`)).status, 404);
    for (const url of [`${CE}/tracking?${q()}`, `${CE}/changesets?${q()}`]) {
      const res = await bob.get(url);
      assert.equal(res.status, 403, url);
      assert.equal(res.json().error.code, 'InsufficientPermissions');
    }
    const bobPut = await put(false, {}, 'bob');
    assert.equal(bobPut.statusCode, 403);
    assert.deepEqual((await alice.get(`${CE}/tracking?${q()}`)).json(), { enabled: true }, 'a refused PUT changes nothing');
    // The read scope does not modify.
    const readerPut = await call(h, 'PUT', `${CE}/tracking`, {
      body: { enable: false, iModelId: fx.iModelId },
      subject: 'reader',
      scopes: ['changedelements:read'],
    });
    assert.equal(readerPut.statusCode, 401);
  });
});
