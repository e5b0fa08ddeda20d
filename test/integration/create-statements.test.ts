import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Caller } from '../../src/domain/caller.js';
import { createStorageConnection } from '../../src/domain/storage-connections/create-storage-connection.js';
import type { SqlStore } from '../../src/store/store.js';
import { ALICE, countingStore, createHarness, type Harness } from '../helpers/harness.js';
import { storeTargets } from '../helpers/stores.js';

const postgres = storeTargets.find((t) => t.name === 'postgres')!;

/**
 * What creates that arrive together cost on PostgreSQL, counted on the wire by a second store on the
 * same database whose every statement is reported (as worker-statements.test.ts does for runs): one
 * lookup and one insert per batch, with no BEGIN or COMMIT around them (docs/performance.md, "Creates
 * without a transaction"). And that a batch whose insert is refused still answers each create as it
 * would alone. PostgreSQL only: on SQLite the batch is one transaction, which costs nothing extra there
 * (the create tests cover the behaviour on both stores).
 */
describe('creates arriving together, on PostgreSQL', { skip: postgres.skip }, () => {
  let h: Harness;
  let counted: SqlStore;
  const sent: string[] = [];
  const caller: Caller = Object.freeze({ subject: ALICE, clientId: 'test', scopes: new Set(['itwin-platform']) });

  before(async () => {
    h = await createHarness(postgres);
    counted = await countingStore(h, (sql) => sent.push(sql));
  });
  after(async () => {
    await counted.close();
    await h.close();
  });
  beforeEach(() => {
    sent.length = 0;
  });

  async function fixture(files: number) {
    const itwin = await h.itwin();
    const iModelId = await h.imodel(itwin);
    const fileIds: string[] = [];
    for (let i = 0; i < files; i++) fileIds.push(await h.file(itwin, `f${i}.ifc`));
    sent.length = 0;
    return { iModelId, fileIds };
  }

  function create(iModelId: string, storageFileId: string) {
    return createStorageConnection(counted, caller, { iModelId, sourceFiles: [{ storageFileId, connectorType: 'IFC' }] });
  }

  async function connectionsOf(iModelId: string): Promise<number> {
    const rows = await h.store.db.selectFrom('storage_connections').select('id').where('imodel_id', '=', iModelId).execute();
    return rows.length;
  }

  it('40 concurrent creates: a lookup and an insert per batch, no transaction, every connection stored with its file', async () => {
    const { iModelId, fileIds } = await fixture(40);
    const created = await Promise.all(fileIds.map((id) => create(iModelId, id)));
    assert.equal(new Set(created.map((c) => c.id)).size, 40);
    assert.deepEqual(
      sent.filter((s) => /^(begin|commit|rollback|savepoint)\b/i.test(s)),
      [],
      'no transaction statements',
    );
    const lookups = sent.filter((s) => /^select 'imodel' as "kind"/.test(s));
    const inserts = sent.filter((s) => /^with "connection" as \(insert into "storage_connections"/.test(s));
    assert.equal(lookups.length + inserts.length, sent.length, `only lookups and inserts: ${sent.join('\n')}`);
    assert.equal(inserts.length, lookups.length, 'one insert per lookup');
    // Batched: far fewer statements than creates (a batch forms per turn of the event loop, two in flight at most).
    assert.ok(inserts.length < 20, `${inserts.length} batches for 40 creates`);
    assert.equal(await connectionsOf(iModelId), 40);
    const mapped = await h.store.db.selectFrom('source_files').select('storage_file_id').where('imodel_id', '=', iModelId).execute();
    assert.deepEqual(mapped.map((r) => r.storage_file_id).sort(), [...fileIds].sort());
  });

  it('a batch whose insert a mapped file refuses: that create is a 409, the others are created, nothing twice', async () => {
    const { iModelId, fileIds } = await fixture(10);
    // The first file twice in the same batch: the unique index refuses the batch's insert.
    const outcomes = await Promise.allSettled([create(iModelId, fileIds[0]!), ...fileIds.map((id) => create(iModelId, id))]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(refused.length, 1, JSON.stringify(refused));
    assert.equal((refused[0] as PromiseRejectedResult).reason.status, 409);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 10);
    // The refused insert sent the creates back to run alone, each in a transaction whose refusal says which constraint.
    const refusedAt = sent.findIndex((s) => /^with "connection" as \(insert into "storage_connections"/.test(s));
    assert.ok(refusedAt >= 0 && sent.slice(refusedAt).some((s) => /^begin\b/i.test(s)), sent.join('\n'));
    assert.equal(await connectionsOf(iModelId), 10);
  });
});
