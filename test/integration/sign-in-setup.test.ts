import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { BuiltinIssuer } from '../../src/auth/builtin-issuer.js';
import { WEB_CALLBACK_PATH, WEB_CLIENT_ID } from '../../src/auth/clients.js';
import { SIGN_IN_SET_UP, setUpSignIn } from '../../src/auth/sign-in-setup.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { checkPassword } from '../../src/domain/accounts/check-password.js';
import { createAccount } from '../../src/domain/accounts/create-account.js';
import { Passwords } from '../../src/domain/accounts/password.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

/** Opens a fresh deployment's store and its issuer, as a start does. */
async function deployment(db: TestDatabase) {
  const config = loadConfig({ DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, DATABASE_SCHEMA: db.schema, PUBLIC_URL });
  const store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  const issuer = await BuiltinIssuer.load(store.deployment, config.dataDir, config.auth);
  return { store, issuer };
}

/** Sign-in's set-up on a deployment's first start (src/auth/sign-in-setup.ts), on both stores. */
for (const target of storeTargets) {
  describe(`sign-in set-up, once per deployment [${target.name}]`, { skip: target.skip }, () => {
    const dbs: TestDatabase[] = [];
    const stores: Store[] = [];
    const passwords = new Passwords();
    const fresh = async () => {
      const db = await target.create();
      dbs.push(db);
      const made = await deployment(db);
      stores.push(made.store);
      return made;
    };
    after(async () => {
      for (const store of stores) await store.close();
      for (const db of dbs) await db.drop();
    });

    it('adds the web client and a first account with a random password, once; what is removed later is not made again', async () => {
      const { store, issuer } = await fresh();
      const { firstAccount } = await setUpSignIn(store, issuer.registry, passwords, PUBLIC_URL, { email: 'admin@twinsync.localhost' });
      assert.equal(firstAccount?.email, 'admin@twinsync.localhost');
      assert.match(firstAccount!.generatedPassword!, /^[A-Za-z0-9_-]{24}$/);
      assert.equal((await checkPassword(store, passwords, 'admin@twinsync.localhost', firstAccount!.generatedPassword!, Date.now())).ok, true);
      const web = issuer.registry.find(WEB_CLIENT_ID);
      assert.deepEqual(web?.redirectUris, [`${PUBLIC_URL}${WEB_CALLBACK_PATH}`]);
      assert.equal(web?.clientSecret, undefined, 'a public client');
      assert.ok(await store.deployment.findSecret(SIGN_IN_SET_UP));

      await issuer.registry.remove(WEB_CLIENT_ID);
      await store.accounts.delete((await store.accounts.findByEmail('admin@twinsync.localhost'))!.id);
      assert.deepEqual(await setUpSignIn(store, issuer.registry, passwords, PUBLIC_URL, { email: 'admin@twinsync.localhost' }), {});
      assert.equal(issuer.registry.find(WEB_CLIENT_ID), undefined);
      assert.equal(await store.accounts.count(), 0);
    });

    it('takes the address and password it is given (AUTH_ADMIN_EMAIL, AUTH_ADMIN_PASSWORD) and shows no password', async () => {
      const { store, issuer } = await fresh();
      const { firstAccount } = await setUpSignIn(store, issuer.registry, passwords, PUBLIC_URL, { email: 'ops@example.com', password: 'from the environment' });
      assert.deepEqual(firstAccount, { email: 'ops@example.com' });
      assert.equal((await checkPassword(store, passwords, 'ops@example.com', 'from the environment', Date.now())).ok, true);
    });

    it('makes no account where there is one already (added with npm run users before the first start, or an upgrade)', async () => {
      const { store, issuer } = await fresh();
      await createAccount(store, passwords, { email: 'ann@example.com', password: 'ann-password' });
      const { firstAccount } = await setUpSignIn(store, issuer.registry, passwords, PUBLIC_URL, { email: 'admin@twinsync.localhost' });
      assert.equal(firstAccount, undefined);
      assert.ok(issuer.registry.find(WEB_CLIENT_ID), 'the web client is added all the same');
      assert.equal(await store.accounts.count(), 1);
    });

    it('processes starting together make one account between them', async () => {
      const { store, issuer } = await fresh();
      const outcomes = await Promise.all(
        [1, 2, 3].map(() => setUpSignIn(store, issuer.registry, passwords, PUBLIC_URL, { email: 'admin@twinsync.localhost' })),
      );
      assert.equal(outcomes.filter((o) => o.firstAccount).length, 1);
      assert.equal(await store.accounts.count(), 1);
    });
  });
}

describe('configuration of the first account', () => {
  it('AUTH_ADMIN_EMAIL must be an address; AUTH_ADMIN_PASSWORD at least 8 characters, and never repeated in the message', () => {
    assert.deepEqual(loadConfig({}).auth.admin, { email: 'admin@twinsync.localhost' });
    assert.deepEqual(loadConfig({ AUTH_ADMIN_EMAIL: 'ops@example.com', AUTH_ADMIN_PASSWORD: 'long enough' }).auth.admin, {
      email: 'ops@example.com',
      password: 'long enough',
    });
    assert.throws(
      () => loadConfig({ AUTH_ADMIN_EMAIL: 'nobody' }),
      (e: unknown) => e instanceof ConfigError && /AUTH_ADMIN_EMAIL/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ AUTH_ADMIN_PASSWORD: 'pw-x1' }),
      (e: unknown) =>
        e instanceof ConfigError && /AUTH_ADMIN_PASSWORD is not usable: a password has at least 8 characters/.test(e.message) && !e.message.includes('pw-x1'),
    );
  });
});
