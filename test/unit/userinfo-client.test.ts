import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { UserinfoClient } from '../../src/auth/userinfo.js';
import { loadConfig } from '../../src/config.js';

/** A provider on loopback whose discovery document and userinfo answers the tests set. */
describe('UserinfoClient: asking an external provider for a user’s address', () => {
  let base = '';
  let discovery: Record<string, unknown> | number = {};
  let userinfo: Record<string, unknown> | number = {};
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.url} ${req.headers.authorization ?? ''}`);
    const answer = req.url === '/.well-known/openid-configuration' ? discovery : req.url === '/userinfo' ? userinfo : 404;
    res.writeHead(typeof answer === 'number' ? answer : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(typeof answer === 'number' ? { error: 'no' } : answer));
  });
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const log = pino({ level: 'silent' });
  const client = (env: Record<string, string>, now: () => number = Date.now) =>
    UserinfoClient.forConfig(loadConfig({ AUTH_ISSUER: `${base}/`, AUTH_JWKS_URL: `${base}/jwks`, ...env }).auth, log, now);

  it('is off with the built-in issuer and with AUTH_USERINFO_URL=off', () => {
    assert.equal(UserinfoClient.forConfig(loadConfig({}).auth, log), undefined);
    assert.equal(client({ AUTH_USERINFO_URL: 'off' }), undefined);
    assert.throws(
      () => loadConfig({ AUTH_ISSUER: 'https://a.example', AUTH_JWKS_URL: 'https://a.example/k', AUTH_USERINFO_URL: 'ftp://x' }),
      /AUTH_USERINFO_URL/,
    );
  });

  it('finds the endpoint by discovery once, sends the token, and keeps a verified address with its names', async () => {
    requests.length = 0;
    discovery = { userinfo_endpoint: `${base}/userinfo` };
    userinfo = { sub: 'u1', email: 'u1@example.com', email_verified: true, name: ' U One ', family_name: 'One' };
    const c = client({})!;
    assert.deepEqual(await c.profileOf('tok-1', 'u1'), { email: 'u1@example.com', name: 'U One', surname: 'One' });
    assert.deepEqual(await c.profileOf('tok-2', 'u1'), { email: 'u1@example.com', name: 'U One', surname: 'One' });
    assert.deepEqual(requests, ['/.well-known/openid-configuration ', '/userinfo Bearer tok-1', '/userinfo Bearer tok-2']);
  });

  it('AUTH_USERINFO_URL is used as given, without discovery', async () => {
    requests.length = 0;
    userinfo = { sub: 'u2', email: 'u2@example.com' };
    assert.deepEqual(await client({ AUTH_USERINFO_URL: `${base}/userinfo` })!.profileOf('t', 'u2'), { email: 'u2@example.com' });
    assert.deepEqual(requests, ['/userinfo Bearer t']);
  });

  it('null for another subject, an unverified or missing address, and a token userinfo refuses', async () => {
    const c = client({ AUTH_USERINFO_URL: `${base}/userinfo` })!;
    userinfo = { sub: 'someone-else', email: 'x@example.com' };
    assert.equal(await c.profileOf('t', 'u3'), null);
    userinfo = { sub: 'u3', email: 'x@example.com', email_verified: false };
    assert.equal(await c.profileOf('t', 'u3'), null);
    userinfo = { sub: 'u3', email: 'not an address' };
    assert.equal(await c.profileOf('t', 'u3'), null);
    userinfo = 401;
    assert.equal(await c.profileOf('t', 'u3'), null);
  });

  it('a provider that fails is not asked for a minute, then asked again', async () => {
    let now = 1_000_000;
    const c = client({}, () => now)!;
    requests.length = 0;
    discovery = 500;
    assert.equal(await c.profileOf('t', 'u4'), undefined);
    discovery = { userinfo_endpoint: `${base}/userinfo` };
    userinfo = { sub: 'u4', email: 'u4@example.com' };
    now += 59_000;
    assert.equal(await c.profileOf('t', 'u4'), undefined);
    assert.equal(requests.length, 1);
    now += 2_000;
    assert.deepEqual(await c.profileOf('t', 'u4'), { email: 'u4@example.com' });
    userinfo = 502;
    assert.equal(await c.profileOf('t', 'u4'), undefined);
    assert.equal(await c.profileOf('t', 'u4'), undefined);
    assert.equal(requests.length, 4);
  });

  it('a discovery document without a userinfo endpoint: never asked again', async () => {
    requests.length = 0;
    discovery = { issuer: base };
    const c = client({})!;
    assert.equal(await c.profileOf('t', 'u5'), null);
    assert.equal(await c.profileOf('t', 'u5'), null);
    assert.equal(requests.length, 1);
  });
});
