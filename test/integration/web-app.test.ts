import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { pageHeaders } from '../../src/http/routes/web-app/page-headers.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';

/**
 * A built page as Vite and scripts/build.mjs leave it (index.html, hashed assets, a gzip copy of
 * the large ones), in a folder of the test's own: the serving is what is tested here; the real
 * page is built and driven in a browser by test/browser/web-app.test.ts.
 */
function builtPage(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  const index = '<!doctype html><html><head><script type="module" src="/app/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>';
  fs.writeFileSync(path.join(dir, 'index.html'), index);
  const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;
  fs.writeFileSync(path.join(dir, 'assets', 'index-AbC123.js'), script);
  fs.writeFileSync(path.join(dir, 'assets', 'index-AbC123.js.gz'), gzipSync(script));
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

const page = builtPage();
const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-web-empty-'));
after(() => {
  fs.rmSync(page, { recursive: true, force: true });
  fs.rmSync(empty, { recursive: true, force: true });
});

const EXTERNAL = { AUTH_ISSUER: 'https://login.example.com/tenant/v2.0', AUTH_JWKS_URL: 'https://login.example.com/tenant/keys' };

onEveryStore('the web application at /app/', { env: { WEB_APP_DIR: page } }, ({ h, harness }) => {
  const off = harness({ WEB_APP: 'off', WEB_APP_DIR: page });
  const unbuilt = harness({ WEB_APP_DIR: empty });
  const external = harness({ ...EXTERNAL, WEB_APP_DIR: page });
  const externalWithClient = harness({
    ...EXTERNAL,
    WEB_APP_DIR: page,
    WEB_APP_CLIENT_ID: 'twinsync-spa',
    WEB_APP_SCOPE: 'openid offline_access api://twinsync/itwin-platform',
  });

  it('gives the page its sign-in settings without a token: the built-in issuer and its public client', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/app/config.json' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.deepEqual(res.json(), {
      apiUrl: PUBLIC_URL,
      issuer: 'builtin',
      authority: PUBLIC_URL,
      clientId: 'twinsync-web',
      scope: 'openid itwin-platform',
      redirectUri: `${PUBLIC_URL}/app/callback`,
    });
  });

  it('with an external provider: its authority, and a client only once the operator names one', async () => {
    const none = (await external.app.inject({ method: 'GET', url: '/app/config.json' })).json();
    assert.equal(none.issuer, 'external');
    assert.equal(none.authority, EXTERNAL.AUTH_ISSUER);
    assert.equal(none.clientId, null);
    const named = (await externalWithClient.app.inject({ method: 'GET', url: '/app/config.json' })).json();
    assert.equal(named.clientId, 'twinsync-spa');
    assert.equal(named.scope, 'openid offline_access api://twinsync/itwin-platform');
    // The page may talk to the provider (discovery, token endpoint), and to nothing else outside.
    const csp = String((await externalWithClient.app.inject({ method: 'GET', url: '/app/' })).headers['content-security-policy']);
    assert.match(csp, /connect-src 'self' http:\/\/twinsync\.test https:\/\/login\.example\.com;/);
  });

  it('lets the page read from the object store only where downloads are redirected there', async () => {
    const csp = (env: Record<string, string>) => String(pageHeaders(loadConfig({ PUBLIC_URL, ...env }))['content-security-policy']);
    assert.match(csp({}), /connect-src 'self' http:\/\/twinsync\.test;/);
    const s3 = { BLOB_STORE_URL: 's3://bucket/prefix', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };
    assert.match(csp(s3), /connect-src 'self' http:\/\/twinsync\.test;/);
    assert.match(csp({ ...s3, BLOB_DOWNLOADS: 'redirect' }), /connect-src 'self' http:\/\/twinsync\.test http:\/\/127\.0\.0\.1:9000;/);
  });

  it('serves index.html at /app/ and /app, checked again at each use, with the page’s security headers', async () => {
    for (const url of ['/app/', '/app', '/APP/']) {
      const res = await h.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /<div id="root">/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self';/, 'no inline or remote scripts');
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
    }
  });

  it('answers index.html for the page’s own screens (SPA fallback), never for a missing file', async () => {
    const screen = await h.app.inject({ method: 'GET', url: '/app/itwins/5d3c/imodels/77aa/connections/AZq3-x_/runs/9f1e' });
    assert.equal(screen.statusCode, 200);
    assert.match(screen.body, /<div id="root">/);
    const callback = await h.app.inject({ method: 'GET', url: '/app/callback?code=abc&state=xyz' });
    assert.equal(callback.statusCode, 200);
    for (const url of ['/app/assets/index-Gone99.js', '/app/assets/', '/app/logo.png', '/app/itwins/x/missing.css']) {
      const res = await h.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error.code, 'NotFound', url);
    }
  });

  it('serves hashed assets as immutable, gzipped for browsers that take it, with ETags', async () => {
    const plain = await h.app.inject({ method: 'GET', url: '/app/assets/index-AbC123.js' });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(plain.headers['content-type']), /^text\/javascript/);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'accept-encoding');
    assert.equal(plain.headers['x-content-type-options'], 'nosniff');
    assert.equal(plain.headers['content-security-policy'], undefined, 'the page’s policy comes with the page');
    const zipped = await h.app.inject({ method: 'GET', url: '/app/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(zipped.rawPayload.length < plain.rawPayload.length / 4);
    assert.equal(gunzipSync(zipped.rawPayload).toString(), plain.body);
    const etag = String(plain.headers.etag);
    const again = await h.app.inject({ method: 'GET', url: '/app/assets/index-AbC123.js', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    const icon = await h.app.inject({ method: 'GET', url: '/app/favicon.svg' });
    assert.equal(icon.headers['content-type'], 'image/svg+xml');
    assert.equal(icon.headers['cache-control'], 'no-cache');
  });

  it('HEAD answers the headers of GET, without the body', async () => {
    const res = await h.app.inject({ method: 'HEAD', url: '/app/' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '');
    assert.equal(Number(res.headers['content-length']), fs.statSync(path.join(page, 'index.html')).size);
  });

  it('gives nothing outside the page’s folder, however the path is written', async () => {
    fs.writeFileSync(path.join(path.dirname(page), 'twinsync-web-secret.txt'), 'secret');
    const base = path.basename(page);
    for (const url of [
      '/app/../twinsync-web-secret.txt',
      '/app/%2e%2e/twinsync-web-secret.txt',
      '/app/assets/..%2f..%2ftwinsync-web-secret.txt',
      `/app/..%2f${base}%2f..%2ftwinsync-web-secret.txt`,
      '/app/%5c..%5ctwinsync-web-secret.txt',
      '/app/assets/%00.js',
    ]) {
      const res = await h.app.inject({ method: 'GET', url });
      // 404, or the NUL check's 422, or the page itself (a path that names no file is a screen of the page).
      assert.ok([400, 404, 422].includes(res.statusCode) || /<div id="root">/.test(res.body), `${url}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, /secret/, url);
    }
    fs.rmSync(path.join(path.dirname(page), 'twinsync-web-secret.txt'));
  });

  it('says so when the page was not built, in the error shape', async () => {
    const res = await unbuilt.app.inject({ method: 'GET', url: '/app/' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'WebAppNotBuilt');
    assert.equal((await unbuilt.app.inject({ method: 'GET', url: '/app/config.json' })).statusCode, 200, 'the settings need no build');
  });

  it('WEB_APP=off: no page, no settings, and the API as before', async () => {
    for (const url of ['/app/', '/app/config.json', '/app/assets/index-AbC123.js']) {
      const res = await off.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error.code, 'NotFound', url);
    }
    assert.equal((await off.app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200);
    const api = await off.app.inject({ method: 'GET', url: '/itwins', headers: { authorization: `Bearer ${await off.token()}` } });
    assert.equal(api.statusCode, 200);
  });
});
