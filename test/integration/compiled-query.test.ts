import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { compileOnce } from '../../src/store/compiled-query.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

/**
 * compileOnce cannot be misused silently: a compiled query that would keep a value from its first
 * use is refused, loudly, before it answers anything. The queries read the migrations table, which
 * every opened store has.
 */

// Made at module level from parameters alone: what compileOnce is for.
const migrationNamed = compileOnce((db, p: { name: string }) => db.selectFrom('twinsync_migrations').select('name').where('name', '=', p.name));
const migrationsAmong = compileOnce((db, p: { names: readonly string[] }) =>
  // A true constant, in the SQL text where a reader sees it.
  db.selectFrom('twinsync_migrations').select('name').where('name', 'in', p.names).where('name', '<>', sql.lit('')).orderBy('name'),
);

// The misuse the issue reproduced: the build reads a variable around it. Before, its first value
// was compiled in and sent on every call after, whatever the variable held by then.
let wanted: string;
const capturing = compileOnce((db, p: { prefix: string }) =>
  db.selectFrom('twinsync_migrations').select('name').where('name', '>=', p.prefix).where('name', '=', wanted),
);

// A number written into the build is a value that is not a parameter, as a captured one is.
const withNumber = compileOnce((db, p: { name: string }) => db.selectFrom('twinsync_migrations').select('name').where('name', '=', p.name).limit(1));

// A build whose SQL depends on a value (null or not).
const branching = compileOnce((db, p: { name: string | null }) => {
  const query = db.selectFrom('twinsync_migrations').select('name');
  return p.name === null ? query.where('applied_at', 'is', null) : query.where('name', '=', p.name);
});

for (const target of storeTargets) {
  describe(`compileOnce [${target.name}]`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let store: Store;
    let names: string[];
    before(async () => {
      db = await target.create();
      store = await Store.open({ databaseUrl: db.databaseUrl, schema: db.schema });
      names = (await store.db.selectFrom('twinsync_migrations').select('name').orderBy('name').execute()).map((r) => r.name);
    });
    after(async () => {
      await store?.close();
      await db?.drop();
    });

    it('a query made from its parameters answers with each call’s own values, for every shape', async () => {
      assert.deepEqual(await migrationNamed(store.db, { name: names[0]! }), [{ name: names[0] }]);
      assert.deepEqual(await migrationNamed(store.db, { name: names[1]! }), [{ name: names[1] }]);
      assert.deepEqual(await migrationNamed(store.db, { name: 'none' }), []);
      for (const list of [[names[2]!], [names[1]!, 'none'], ['none', names[0]!, names[3]!], [names[2]!]]) {
        const expected = await store.db.selectFrom('twinsync_migrations').select('name').where('name', 'in', list).orderBy('name').execute();
        assert.deepEqual(await migrationsAmong(store.db, { names: list }), expected);
      }
    });

    it('refuses, at first use, a query that keeps a variable captured around its build', async () => {
      wanted = '0001-initial';
      await assert.rejects(capturing(store.db, { prefix: '' }), /not one of its parameters \("0001-initial"\)/);
      // Changed, the variable is not silently ignored either: the query never runs.
      wanted = '0002-platform';
      await assert.rejects(capturing(store.db, { prefix: '' }), /not one of its parameters \("0002-platform"\)/);
    });

    it('refuses a value written into the build', async () => {
      await assert.rejects(withNumber(store.db, { name: names[0]! }), /not one of its parameters \(1\)/);
    });

    it('refuses a query whose SQL depends on a value, when that value comes', async () => {
      assert.deepEqual(await branching(store.db, { name: names[0]! }), [{ name: names[0] }]);
      await assert.rejects(branching(store.db, { name: null }), /comes out differently for other parameter values/);
    });

    it('refuses to make a compiled query once compiled queries have run (anywhere but at module level)', async () => {
      await migrationNamed(store.db, { name: names[0]! });
      // The natural edit: a function that makes its query around its own argument.
      const named = (name: string) =>
        compileOnce((q, p: { prefix: string }) => q.selectFrom('twinsync_migrations').select('name').where('name', '>=', p.prefix).where('name', '=', name));
      assert.throws(() => named(names[0]!), /compileOnce: called after compiled queries started running/);
    });
  });
}
