import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet } from 'jose';
import { BuiltinIssuer } from '../../src/auth/builtin-issuer.js';
import { TokenVerifier } from '../../src/auth/token-verifier.js';
import { loadConfig } from '../../src/config.js';
import { ApiError } from '../../src/domain/errors.js';
import { SqlStore } from '../../src/store/store.js';

describe('TokenVerifier cache', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-verifier-'));
  const config = loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'http://issuer.test', AUTH_CLOCK_SKEW_SECONDS: '30' });
  // The issuer's key lives in the deployment's store: the default SQLite file in DATA_DIR here.
  let store: SqlStore;
  before(async () => {
    store = await SqlStore.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  });
  after(async () => {
    await store?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a verified token from the cache only until it expires', async () => {
    const issuer = await BuiltinIssuer.load(store.deployment, dataDir, config.auth);
    let clock = Date.now();
    const verifier = new TokenVerifier(config.auth, createLocalJWKSet(issuer.jwks), () => clock);
    const { token } = await issuer.issue({ subject: 'alice', clientId: 'c', scopes: ['itwin-platform'], ttlSeconds: 60 });
    const caller = await verifier.verify(token);
    assert.equal(caller.subject, 'alice');
    assert.equal(caller.clientId, 'c');
    assert.ok(caller.scopes.has('itwin-platform'));
    assert.equal(await verifier.verify(token), caller, 'second call is a cache hit');

    clock += 60_000 + 29_000; // within exp + skew
    assert.equal((await verifier.verify(token)).subject, 'alice');
    clock += 2_000; // beyond exp + skew
    await assert.rejects(verifier.verify(token), (e: unknown) => e instanceof ApiError && e.code === 'InvalidToken');
  });

  it('the same stored key is reused across loads, so tokens survive a restart', async () => {
    const first = await BuiltinIssuer.load(store.deployment, dataDir, config.auth);
    const second = await BuiltinIssuer.load(store.deployment, dataDir, config.auth);
    assert.deepEqual(first.jwks, second.jwks);
    const { token } = await first.issue({ subject: 'bob', clientId: 'c', scopes: [] });
    assert.equal((await new TokenVerifier(config.auth, createLocalJWKSet(second.jwks)).verify(token)).subject, 'bob');
  });
});
