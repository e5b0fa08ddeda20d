import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { BuiltinIssuer } from '../../src/auth/builtin-issuer.js';
import { TokenVerifier } from '../../src/auth/token-verifier.js';
import { loadConfig } from '../../src/config.js';
import type { App } from '../../src/http/context.js';
import { REJECTION_LOG_LIMIT } from '../../src/http/plugins/authenticate.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { PUBLIC_URL, registeredClient } from '../helpers/harness.js';
import { freePort } from '../helpers/server-process.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

/**
 * The app with a logger writing to memory (the harness's is silent): what reaches the log is
 * checked line by line, through HTTP, on both stores.
 */
for (const target of storeTargets) {
  describe(`secrets stay out of logs; rejections are logged with their reason [${target.name}]`, { skip: target.skip }, () => {
    const lines: string[] = [];
    let app: App;
    let store: Store;
    let db: TestDatabase;
    let issuer: BuiltinIssuer;
    let clientId: string;
    let sign: (claims: Record<string, unknown>) => Promise<string>;
    const now = () => Math.floor(Date.now() / 1000);

    before(async () => {
      db = await target.create();
      const config = loadConfig({ DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, DATABASE_SCHEMA: db.schema, PUBLIC_URL, LOG_LEVEL: 'info' });
      store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
      issuer = await BuiltinIssuer.load(store.deployment, config.dataDir, config.auth);
      clientId = await registeredClient(issuer, 'alice');
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
      app = await buildApp(config, { store, verifier: TokenVerifier.forConfig(config.auth, issuer), issuer, logger });
      const key = issuer.signingKey;
      sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(key.privateKey);
    });
    after(async () => {
      await app?.close();
      await store?.close();
      await db?.drop();
    });

    const get = (url: string, token?: string) =>
      app.inject({ method: 'GET', url, headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
    const claims = (extra: Record<string, unknown> = {}) => ({
      iss: PUBLIC_URL,
      aud: 'twinsync',
      sub: 'alice',
      client_id: clientId,
      scope: 'itwin-platform',
      iat: now(),
      exp: now() + 600,
      ...extra,
    });
    const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const rejected = () => parsed().filter((l) => l.msg === 'request rejected: token not accepted');

    it('request lines never hold the token, a consent ticket, an upload signature or a secret in the query', async () => {
      const token = await sign(claims());
      const info = await get(`/synchronization/imodels/connections/authorizationinformation?redirectUrl=${encodeURIComponent('http://localhost:1/cb')}`, token);
      assert.equal(info.statusCode, 200, info.body);
      const href = info.json().authorizationInformation._links.authorizationUrl.href as string;
      const ticket = decodeURIComponent(href.split('ticket=')[1]!);
      assert.equal((await get(href.slice(PUBLIC_URL.length))).statusCode, 200);
      await get('/storage/files/x/content?version=1&expires=2&signature=SIGNATURE-VALUE-123');
      await get(`/itwins?access_token=${token}&Client_Secret=SECRET-VALUE-456&code=CODE-789`);
      await app.inject({
        method: 'POST',
        url: '/connect/token',
        headers: { authorization: 'Basic dHdpbnN5bmM6U0VDUkVULTEwMQ==', 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials',
      });

      const all = lines.join('\n');
      for (const secret of [token, ticket, encodeURIComponent(ticket), 'SIGNATURE-VALUE-123', 'SECRET-VALUE-456', 'CODE-789', 'dHdpbnN5bmM6U0VDUkVULTEwMQ==']) {
        assert.ok(!all.includes(secret), `the log holds ${secret.slice(0, 20)}…`);
      }
      const urls = parsed()
        .filter((l) => l.msg === 'request completed')
        .map((l) => l.url);
      assert.ok(urls.includes('/synchronization/consent?ticket=[redacted]'), JSON.stringify(urls));
      assert.ok(urls.includes('/storage/files/x/content?version=1&expires=2&signature=[redacted]'), JSON.stringify(urls));
      assert.ok(urls.includes('/itwins?access_token=[redacted]&Client_Secret=[redacted]&code=[redacted]'), JSON.stringify(urls));
    });

    it('each rejection is logged with its reason (expired, wrong issuer, wrong audience, bad signature, missing scope, …), never with the token', async () => {
      lines.length = 0;
      const good = await sign(claims());
      const [h, p, s] = good.split('.') as [string, string, string];
      const cases: Array<[string, string | undefined]> = [
        ['expired', await sign(claims({ iat: now() - 7200, exp: now() - 3600 }))],
        ['wrong-issuer', await sign(claims({ iss: 'https://elsewhere.example' }))],
        ['wrong-audience', await sign(claims({ aud: 'someone-else' }))],
        ['bad-signature', `${h}.${p}.${s.slice(0, -4)}${s.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`],
        ['missing-scope', await sign(claims({ scope: 'openid' }))],
        ['invalid-subject', await sign(claims({ sub: { id: 1 } }))],
        ['unknown-client', await sign(claims({ client_id: 'gone' }))],
        ['malformed', 'not-a-jwt'],
        ['missing-header', undefined],
      ];
      for (const [reason, token] of cases) {
        const res = await get('/itwins', token);
        assert.equal(res.statusCode, 401, reason);
        const line = rejected().at(-1);
        assert.equal(line?.reason, reason, JSON.stringify(line));
        assert.equal(line?.op, 'get-my-itwins');
        assert.equal(line?.level, 30, 'info');
        if (token) assert.ok(!lines.join('\n').includes(token), `${reason}: the token is in the log`);
      }
      // Claims of a verified signature name the client; a forged one's do not.
      assert.equal(rejected().find((l) => l.reason === 'expired')?.client, 'client-of-alice');
      assert.equal(rejected().find((l) => l.reason === 'bad-signature')?.client, undefined);
    });

    it('a verifier that fails rather than rejects is 401 and logged as such (verifier-error, at warn, with its cause), not as a wrong scheme', async () => {
      // Keys that cannot be had at all: an external issuer whose JWKS URL has nothing listening…
      const external = loadConfig({
        DATA_DIR: db.dataDir,
        DATABASE_URL: db.databaseUrl,
        DATABASE_SCHEMA: db.schema,
        PUBLIC_URL,
        LOG_LEVEL: 'info',
        AUTH_ISSUER: 'https://issuer.example',
        AUTH_JWKS_URL: `http://127.0.0.1:${await freePort()}/jwks`,
      });
      // …and a key source that fails in a way jose does not know (what a bug in the verifier looks like).
      const broken = new TokenVerifier(external.auth, (async () => {
        throw new Error('the key source broke');
      }) as never);
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
      const token = await sign(claims());
      for (const [verifier, reason] of [
        [TokenVerifier.forConfig(external.auth, undefined), 'keys-unavailable'],
        [broken, 'verifier-error'],
      ] as const) {
        const other = await buildApp(external, { store, verifier, logger });
        try {
          lines.length = 0;
          const res = await other.inject({ method: 'GET', url: '/itwins', headers: { authorization: `Bearer ${token}` } });
          assert.equal(res.statusCode, 401, res.body);
          assert.equal(res.json().error.code, 'InvalidToken');
          const line = rejected().at(-1);
          assert.equal(line?.reason, reason, JSON.stringify(line));
          if (reason === 'verifier-error') {
            assert.equal(line?.level, 40, 'warn');
            assert.equal(line?.cause, 'Error: the key source broke');
          }
          assert.ok(!lines.join('\n').includes(token), 'the token is in the log');
        } finally {
          await other.close();
        }
      }
    });

    it('a flood of bad tokens logs at most the limit per reason and window, then says how many went unlogged', async () => {
      lines.length = 0;
      const expired = await sign(claims({ iat: now() - 7200, exp: now() - 3600 }));
      for (let i = 0; i < REJECTION_LOG_LIMIT * 5; i++) assert.equal((await get('/itwins', expired)).statusCode, 401);
      const logged = rejected().filter((l) => l.reason === 'expired').length;
      assert.ok(logged <= REJECTION_LOG_LIMIT, `${logged} lines for ${REJECTION_LOG_LIMIT * 5} rejections`);
    });
  });
}
