import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('config', () => {
  it('manifest downloads: nothing allowed by default; host rules and address ranges checked at start', () => {
    const defaults = loadConfig({}).runs.manifest;
    assert.deepEqual(defaults.allowedHosts, []);
    assert.deepEqual(defaults.allowedAddresses, []);
    assert.equal(defaults.maxFileBytes, 2 * 1024 ** 3);
    assert.equal(defaults.maxRedirects, 5);
    const set = loadConfig({
      MANIFEST_ALLOWED_HOSTS: ' DMS.example.com, *.blob.example.net ,10.0.0.5:8443,[::1]:80',
      MANIFEST_ALLOWED_ADDRESSES: '10.0.0.0/8, ::1',
      MANIFEST_MAX_FILE_BYTES: '1024',
      MANIFEST_IDLE_TIMEOUT_MS: '500',
    }).runs.manifest;
    assert.deepEqual(set.allowedHosts, ['dms.example.com', '*.blob.example.net', '10.0.0.5:8443', '[::1]:80']);
    assert.deepEqual(set.allowedAddresses, ['10.0.0.0/8', '::1']);
    assert.equal(set.maxFileBytes, 1024);
    assert.equal(set.idleTimeoutMs, 500);
    for (const bad of ['http://dms.example.com', 'dms.example.com/path', '*dms', 'a b']) {
      assert.throws(
        () => loadConfig({ MANIFEST_ALLOWED_HOSTS: bad }),
        (e: Error) => e instanceof ConfigError && /MANIFEST_ALLOWED_HOSTS/.test(e.message),
        bad,
      );
    }
    for (const bad of ['10.0.0.0/33', 'example.com', '10.0.0.0/8/1', '::1/129']) {
      assert.throws(
        () => loadConfig({ MANIFEST_ALLOWED_ADDRESSES: bad }),
        (e: Error) => e instanceof ConfigError && /MANIFEST_ALLOWED_ADDRESSES/.test(e.message),
        bad,
      );
    }
    assert.throws(() => loadConfig({ MANIFEST_MAX_FILE_BYTES: '0' }), /MANIFEST_MAX_FILE_BYTES/);
  });

  it('has the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.dataDir, path.resolve('./data'));
    assert.equal(config.databaseUrl, `sqlite:${path.resolve('./data/twinsync.db')}`);
    assert.equal(config.auth.mode, 'builtin');
    assert.equal(config.auth.issuer, 'http://localhost:3000');
    assert.equal(config.rateLimit.max, 5000);
    assert.equal(config.rateLimit.windowMs, 60000);
    assert.equal(config.uploadLimitBytes, 1024 ** 3);
    assert.equal(config.uploadUrlTtlSeconds, 3600);
    assert.equal(config.databasePoolSize, 10);
    assert.ok(Object.isFrozen(config));
  });

  it('builds the public URL from HOST and PORT, or takes PUBLIC_URL as an origin', () => {
    assert.equal(loadConfig({ HOST: '127.0.0.1', PORT: '8080' }).publicUrl, 'http://127.0.0.1:8080');
    assert.equal(loadConfig({ PUBLIC_URL: 'https://sync.example.com/' }).publicUrl, 'https://sync.example.com');
  });

  it('takes the upload limit and the upload URL lifetime from the environment', () => {
    const config = loadConfig({ UPLOAD_LIMIT_BYTES: '2048', UPLOAD_URL_TTL_SECONDS: '60' });
    assert.equal(config.uploadLimitBytes, 2048);
    assert.equal(config.uploadUrlTtlSeconds, 60);
  });

  it('has time limits on clients, an idle one for uploads, and a bound on uploads per caller', () => {
    const defaults = loadConfig({});
    assert.deepEqual({ ...defaults.timeouts }, { headersMs: 20_000, requestMs: 60_000, bodyIdleMs: 20_000, uploadIdleMs: 120_000, keepAliveMs: 65_000 });
    assert.equal(defaults.uploadsPerCaller, 4);
    const config = loadConfig({
      HEADERS_TIMEOUT_MS: '1000',
      REQUEST_TIMEOUT_MS: '5000',
      BODY_IDLE_TIMEOUT_MS: '500',
      UPLOAD_IDLE_TIMEOUT_MS: '700',
      KEEP_ALIVE_TIMEOUT_MS: '3000',
      UPLOADS_PER_CALLER: '2',
    });
    assert.deepEqual({ ...config.timeouts }, { headersMs: 1000, requestMs: 5000, bodyIdleMs: 500, uploadIdleMs: 700, keepAliveMs: 3000 });
    assert.equal(config.uploadsPerCaller, 2);
  });

  it('no longer knows SEED_DEMO: an empty data folder needs no demo records', () => {
    assert.equal('seedDemo' in loadConfig({ SEED_DEMO: 'true' }), false);
  });

  it('shares rate limits through Redis only when REDIS_URL is set', () => {
    assert.equal(loadConfig({}).rateLimit.redisUrl, undefined);
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2', REDIS_KEY_PREFIX: 'staging:' });
    assert.equal(config.rateLimit.redisUrl, 'redis://127.0.0.1:6379/2');
    assert.equal(config.rateLimit.redisKeyPrefix, 'staging:');
    assert.equal(loadConfig({}).rateLimit.redisKeyPrefix, 'twinsync:');
  });

  it('serves the web application by default, as the built-in issuer’s public client; with an external provider only once a client is named', () => {
    const builtin = loadConfig({}).webApp;
    assert.deepEqual(builtin, { enabled: true, clientId: 'twinsync-web', scope: 'openid itwin-platform' });
    const external = { AUTH_ISSUER: 'https://ims.example', AUTH_JWKS_URL: 'https://ims.example/jwks' };
    assert.equal(loadConfig(external).webApp.clientId, undefined, 'no client of an external provider is guessed');
    assert.equal(loadConfig({ ...external, WEB_APP_CLIENT_ID: 'spa-client' }).webApp.clientId, 'spa-client');
    assert.equal(loadConfig({ WEB_APP: 'OFF' }).webApp.enabled, false);
    assert.equal(loadConfig({ WEB_APP_SCOPE: '  openid   profile itwin-platform ' }).webApp.scope, 'openid profile itwin-platform');
    assert.equal(loadConfig({ WEB_APP_DIR: 'build/page' }).webApp.dir, path.resolve('build/page'));
  });

  it('switches to an external issuer with AUTH_ISSUER and AUTH_JWKS_URL', () => {
    const config = loadConfig({ AUTH_ISSUER: 'https://ims.example', AUTH_JWKS_URL: 'https://ims.example/jwks' });
    assert.equal(config.auth.mode, 'external');
    assert.equal(config.auth.audience, undefined);
  });

  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between/],
    [{ PUBLIC_URL: 'localhost:3000' }, /PUBLIC_URL must/],
    [{ PUBLIC_URL: 'http://x/prefix' }, /without a path/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must use/],
    [{ AUTH_ISSUER: 'https://ims.example' }, /must be set together/],
    [{ RATE_LIMIT_MAX: '0' }, /RATE_LIMIT_MAX must be between/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ UPLOAD_LIMIT_BYTES: '0' }, /UPLOAD_LIMIT_BYTES must be between/],
    [{ UPLOAD_URL_TTL_SECONDS: 'soon' }, /UPLOAD_URL_TTL_SECONDS must be a whole number/],
    [{ DATABASE_SCHEMA: 'Robert"; drop' }, /DATABASE_SCHEMA must be/],
    [{ DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE must be between/],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, /REDIS_URL must use redis: or rediss:/],
    [{ REDIS_URL: '127.0.0.1:6379' }, /REDIS_URL must/],
    [{ REDIS_KEY_PREFIX: 'two words' }, /REDIS_KEY_PREFIX must be/],
    [{ HEADERS_TIMEOUT_MS: '0' }, /HEADERS_TIMEOUT_MS must be between/],
    [{ UPLOAD_IDLE_TIMEOUT_MS: '2m' }, /UPLOAD_IDLE_TIMEOUT_MS must be a whole number/],
    [{ BODY_IDLE_TIMEOUT_MS: '9000', REQUEST_TIMEOUT_MS: '8000' }, /BODY_IDLE_TIMEOUT_MS \(9000\) must not exceed REQUEST_TIMEOUT_MS/],
    [{ UPLOADS_PER_CALLER: '0' }, /UPLOADS_PER_CALLER must be between/],
    [{ WEB_APP: 'maybe' }, /WEB_APP must be on or off/],
    [{ WEB_APP_SCOPE: 'openid "itwin-platform"' }, /WEB_APP_SCOPE must be scope names/],
    [{ WEB_APP_CLIENT_ID: 'caf\u00e9' }, /WEB_APP_CLIENT_ID must be/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)} with a clear message`, () => {
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && message.test(e.message),
      );
    });
  }
});
