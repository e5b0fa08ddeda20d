import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { StoreUnavailable } from '../../src/domain/failures.js';
import { withPreparedStatements } from '../../src/store/dialect.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

// PostgreSQL only: SQLite has no pool.
const target = storeTargets.find((t) => t.name === 'postgres')!;

describe('PostgreSQL pool of a long-running process', { skip: target.skip }, () => {
  let db: TestDatabase;
  let admin: pg.Client;
  before(async () => {
    db = await target.create();
    admin = new pg.Client({ connectionString: db.databaseUrl });
    await admin.connect();
  });
  after(async () => {
    await admin?.end();
    await db?.drop();
  });

  const sqlPid = (trx: Parameters<Parameters<ReturnType<Store['db']['transaction']>['execute']>[0]>[0]) =>
    sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx).then((r) => r.rows);

  async function backends(applicationName: string): Promise<number[]> {
    const result = await admin.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [applicationName]);
    return result.rows.map((r) => r.pid);
  }

  it('opens every connection at start and keeps them while idle', async () => {
    const applicationName = `twinsync-test-${randomBytes(4).toString('hex')}`;
    const store = await Store.open({ databaseUrl: db.databaseUrl, schema: db.schema, poolSize: 4, openPoolNow: true, applicationName });
    try {
      assert.deepEqual(store.dialect.poolStatus!(), { total: 4, idle: 4 });
      assert.equal((await backends(applicationName)).length, 4);
    } finally {
      await store.close();
    }
    // A backend leaves pg_stat_activity a moment after its client said goodbye.
    let left = await backends(applicationName);
    for (let i = 0; i < 100 && left.length > 0; i++) {
      await sleep(20);
      left = await backends(applicationName);
    }
    assert.equal(left.length, 0, 'closing the store closes its connections');
  });

  it('without openPoolNow, connections open on demand', async () => {
    const store = await Store.open({ databaseUrl: db.databaseUrl, schema: db.schema, poolSize: 4 });
    try {
      assert.ok(store.dialect.poolStatus!().total <= 1, 'only what migrating needed');
    } finally {
      await store.close();
    }
  });

  it('survives the server closing its idle connections, and goes on answering', async () => {
    const applicationName = `twinsync-test-${randomBytes(4).toString('hex')}`;
    const store = await Store.open({ databaseUrl: db.databaseUrl, schema: db.schema, poolSize: 3, openPoolNow: true, applicationName });
    try {
      const pids = await backends(applicationName);
      assert.equal(pids.length, 3);
      // Without a listener for the pool's 'error' event, this would end the test process.
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [applicationName]);
      for (let i = 0; i < 100 && store.dialect.poolStatus!().total > 0; i++) await sleep(20);
      assert.equal(store.dialect.poolStatus!().total, 0, 'the pool dropped the closed connections');
      const rows = await store.db.selectFrom('itwins').select('id').execute();
      assert.deepEqual(rows, []);
      const now = await backends(applicationName);
      assert.ok(now.length >= 1 && now.every((pid) => !pids.includes(pid)), 'fresh connections replace them');
    } finally {
      await store.close();
    }
  });

  it('survives the server closing a connection that is checked out, and answers StoreUnavailable on it', async () => {
    const applicationName = `twinsync-test-${randomBytes(4).toString('hex')}`;
    const store = await Store.open({ databaseUrl: db.databaseUrl, schema: db.schema, poolSize: 2, openPoolNow: true, applicationName });
    try {
      // In a transaction, between two statements: the client is out of the pool, whose listener
      // then does not cover it; pg's 'error' event on it ended the process before.
      const failed = await store.db
        .transaction()
        .execute(async (trx) => {
          const [{ pid }] = (await sqlPid(trx)) as [{ pid: number }];
          await admin.query('select pg_terminate_backend($1)', [pid]);
          await sleep(200); // the 'error' event arrives while nothing runs on the connection
          await trx.selectFrom('itwins').select('id').execute();
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      assert.ok(failed instanceof StoreUnavailable, `a lost connection is StoreUnavailable, got ${String(failed)}`);
      // The dead connection was destroyed, not returned to the pool: the next queries work.
      for (let i = 0; i < 4; i++) assert.deepEqual(await store.db.selectFrom('itwins').select('id').execute(), []);
    } finally {
      await store.close();
    }
  });

  it('a lost connection is StoreUnavailable whether the query is SQL text or a query config object', async () => {
    const applicationName = `twinsync-test-${randomBytes(4).toString('hex')}`;
    const pool = new pg.Pool({ connectionString: db.databaseUrl, max: 2, application_name: applicationName });
    pool.on('error', () => undefined);
    const wrapped = withPreparedStatements(pool);
    // pg's other call form, outside Kysely's typing of the pool client.
    const queryConfig = (client: { query: unknown }, config: { text: string; values?: unknown[] }) =>
      (client.query as (config: object) => Promise<{ rows: unknown[] }>)(config);
    try {
      const forms: Array<[string, (client: Awaited<ReturnType<typeof wrapped.connect>>) => Promise<unknown>]> = [
        ['text', (client) => client.query('select 1', [])],
        ['config object', (client) => queryConfig(client, { text: 'select 1' })],
      ];
      for (const [form, run] of forms) {
        const client = await wrapped.connect();
        const [{ pid }] = (await client.query<{ pid: number }>('select pg_backend_pid() as pid', [])).rows as [{ pid: number }];
        await admin.query('select pg_terminate_backend($1)', [pid]);
        await sleep(200); // the connection's 'error' event has arrived
        const failed = await run(client).then(
          () => undefined,
          (error: unknown) => error,
        );
        client.release();
        assert.ok(failed instanceof StoreUnavailable, `${form}: a lost connection is StoreUnavailable, got ${String(failed)}`);
      }
      // A query config object on a live connection is answered as before.
      const client = await wrapped.connect();
      const result = await queryConfig(client, { text: 'select $1::int as n', values: [7] });
      client.release();
      assert.deepEqual(result.rows, [{ n: 7 }]);
    } finally {
      await pool.end();
    }
  });
});
