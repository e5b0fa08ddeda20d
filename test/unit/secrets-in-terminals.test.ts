import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { BuiltinIssuer } from '../../src/auth/builtin-issuer.js';
import { bannerLines } from '../../src/banner.js';
import { loadConfig } from '../../src/config.js';
import { SqlStore } from '../../src/store/store.js';
import { RejectionLog } from '../../src/http/plugins/authenticate.js';
import { redactRequestUrl } from '../../src/logger.js';
import { deploymentClients } from '../helpers/deployment-clients.js';
import { startServerProcess } from '../helpers/server-process.js';

describe('the start-up banner', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-banner-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints the secret and a token on a terminal only; otherwise where to find them', async () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const store = await SqlStore.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
    const issuer = await BuiltinIssuer.load(store.deployment, dataDir, config.auth).finally(() => store.close());
    const secret = issuer.clients[0]!.clientSecret!;
    const terminal = (await bannerLines(config, issuer, true)).join('\n');
    assert.ok(terminal.includes(secret));
    assert.match(terminal, /export TOKEN=ey/);
    const piped = (await bannerLines(config, issuer, false)).join('\n');
    assert.ok(!piped.includes(secret));
    assert.doesNotMatch(piped, /export TOKEN=ey/);
    assert.match(piped, /npm run -s clients -- secret twinsync-local/);
    assert.match(piped, /npm run -s token/);
  });

  it('the first account’s password on a terminal only (otherwise how to set one); later starts say where to sign in', async () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const store = await SqlStore.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
    const issuer = await BuiltinIssuer.load(store.deployment, dataDir, config.auth).finally(() => store.close());
    const first = { email: 'admin@twinsync.localhost', generatedPassword: 'GENERATED-PASSWORD-1' };
    const terminal = (await bannerLines(config, issuer, true, first)).join('\n');
    assert.match(terminal, /Sign in at http:\/\/localhost:3000\/app\/ as admin@twinsync.localhost with the password GENERATED-PASSWORD-1 /);
    assert.match(terminal, /npm run users -- set-password admin@twinsync.localhost/);
    const piped = (await bannerLines(config, issuer, false, first)).join('\n');
    assert.ok(!piped.includes('GENERATED-PASSWORD-1'));
    assert.match(
      piped,
      /as admin@twinsync.localhost: its password was made at random and is not printed .* npm run users -- set-password admin@twinsync.localhost/,
    );
    assert.match((await bannerLines(config, issuer, true, { email: 'admin@twinsync.localhost' })).join('\n'), /with the password of AUTH_ADMIN_PASSWORD/);
    assert.match((await bannerLines(config, issuer, true)).join('\n'), /Sign in at http:\/\/localhost:3000\/app\/ \(accounts: npm run users -- list\)/);
  });

  it('through a real process whose standard output is a pipe: no secret, no token', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir });
    try {
      const secret = (await deploymentClients({ DATA_DIR: dataDir }))[0]!.clientSecret!;
      assert.ok(!server.output().includes(secret), 'the secret was printed to a pipe');
      assert.doesNotMatch(server.output(), /export TOKEN=ey/);
      assert.match(server.output(), /secret twinsync-local \(not printed: standard output is not a terminal\)/);
      // The deployment's first start made the first account; its password is not printed to a pipe either.
      assert.match(
        server.output(),
        /Sign in at http:\/\/127\.0\.0\.1:\d+\/app\/ as admin@twinsync.localhost: its password was made at random and is not printed/,
      );
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });
});

describe('HOST', () => {
  it('defaults to 127.0.0.1 (hrefs still say localhost); HOST=0.0.0.0 listens everywhere', () => {
    const config = loadConfig({});
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).host, '0.0.0.0');
  });
});

describe('redactRequestUrl', () => {
  it('hides the values of credential parameters, in any case, and keeps the rest', () => {
    assert.equal(redactRequestUrl('/a?ticket=x.y&keep=1'), '/a?ticket=[redacted]&keep=1');
    assert.equal(redactRequestUrl('/a?SIGNATURE=abc&version=2'), '/a?SIGNATURE=[redacted]&version=2');
    assert.equal(redactRequestUrl('/a?t%69cket=abc'), '/a?t%69cket=[redacted]');
    assert.equal(redactRequestUrl('/a?token'), '/a?token');
    assert.equal(redactRequestUrl('/a'), '/a');
    assert.equal(redactRequestUrl('/a?%E0%A4%A=1&code=2'), '/a?%E0%A4%A=1&code=[redacted]');
  });
});

describe('RejectionLog', () => {
  it('logs the first lines of each reason per window, then one warning with how many were not logged', () => {
    const out: Array<{ level: number; msg: string; reason?: string; unlogged?: Record<string, number> }> = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void out.push(JSON.parse(l)) });
    let now = 0;
    const log = new RejectionLog(3, 1000, () => now);
    const request = { routeOptions: { config: {} }, ip: '127.0.0.1' } as never;
    for (let i = 0; i < 10; i++) log.log(logger, { reason: 'expired', request });
    log.log(logger, { reason: 'bad-signature', request });
    assert.equal(out.filter((l) => l.reason === 'expired').length, 3);
    assert.equal(out.filter((l) => l.reason === 'bad-signature').length, 1);
    now = 1000;
    log.log(logger, { reason: 'expired', request });
    const warning = out.find((l) => l.level === 40);
    assert.deepEqual(warning?.unlogged, { expired: 7 });
    assert.equal(out.filter((l) => l.reason === 'expired').length, 4, 'a new window logs again');
  });
});
