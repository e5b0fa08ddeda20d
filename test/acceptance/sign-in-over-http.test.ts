import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startServerProcess } from '../helpers/server-process.js';
import { Browser, claimsOf, pkcePair } from '../helpers/sign-in.js';

/**
 * `npm start` on an empty data folder, as a person would run it, then signing in with the web
 * application's client, over real HTTP: the first start makes an account (here with the password
 * of AUTH_ADMIN_PASSWORD, as a container would set it), the page takes it, the code comes back to
 * `{PUBLIC_URL}/app/callback` and buys a token the API accepts. A second start makes nothing more.
 */
describe('signing in to a freshly started service (npm start)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-sign-in-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const password = 'first start password';

  it('the first start makes an account; the web client signs it in; the token works; a restart makes nothing more', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir, AUTH_ADMIN_PASSWORD: password });
    try {
      assert.match(server.output(), new RegExp(`Sign in at ${server.url}/app/ as admin@twinsync.localhost with the password of AUTH_ADMIN_PASSWORD`));
      assert.ok(!server.output().includes(password), 'the password is not printed');

      const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
      const { verifier, challenge } = pkcePair();
      const callback = `${server.url}/app/callback`;
      const authorize = new URL(discovery.authorization_endpoint!);
      for (const [name, value] of Object.entries({
        response_type: 'code',
        client_id: 'twinsync-web',
        redirect_uri: callback,
        scope: 'openid profile email offline_access itwin-platform',
        state: 'the-state',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })) {
        authorize.searchParams.set(name, value);
      }
      const browser = new Browser();
      const page = await browser.open(authorize.href);
      assert.equal(page.status, 200, page.html);
      const posted = await browser.post(authorize.href, { email: 'admin@twinsync.localhost', password, form_token: page.formToken! });
      assert.equal(posted.status, 303);
      const location = new URL(posted.headers.get('location')!);
      assert.equal(`${location.origin}${location.pathname}`, callback);
      assert.equal(location.searchParams.get('state'), 'the-state');

      const tokens = (await (
        await fetch(discovery.token_endpoint!, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            client_id: 'twinsync-web',
            code: location.searchParams.get('code')!,
            redirect_uri: callback,
            code_verifier: verifier,
          }),
        })
      ).json()) as Record<string, string>;
      assert.ok(tokens.access_token, JSON.stringify(tokens));
      assert.equal(claimsOf(tokens.id_token!).email, 'admin@twinsync.localhost');
      const me = await fetch(`${server.url}/users/me`, {
        headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/vnd.bentley.itwin-platform.v1+json' },
      });
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { user: { email: string } }).user.email, 'admin@twinsync.localhost');
      const itwins = await fetch(`${server.url}/itwins`, {
        headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/vnd.bentley.itwin-platform.v1+json' },
      });
      assert.equal(itwins.status, 200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }

    const again = await startServerProcess({ DATA_DIR: dataDir });
    try {
      assert.match(again.output(), /Sign in at .*\/app\/ \(accounts: npm run users -- list\)/);
      assert.doesNotMatch(again.output(), /admin@twinsync.localhost/);
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});
