import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserMissing, browserSession } from '../helpers/browser.js';
import { type OidcProvider, startOidcProvider } from '../helpers/oidc-provider.js';
import type { ServerProcess } from '../helpers/server-process.js';

/**
 * The page's own sign-in (web/src/auth/oidc.ts), the path every person takes: OpenID discovery, the
 * authorization code flow with PKCE (S256) as a public client, the code redeemed with the verifier,
 * the session renewed with the refresh token, sign-out. Here against an external OpenID provider
 * configured in the service (AUTH_ISSUER, WEB_APP_CLIENT_ID), a small stand-in that checks what a real
 * provider checks (test/helpers/oidc-provider.ts); the built-in issuer's login page runs the same code.
 */
describe('browser: signing in to the web application with an OpenID provider', { skip: browserMissing() }, () => {
  let provider: OidcProvider;
  // Started before the service (hooks run in the order they are declared): the service reads its discovery.
  before(async () => {
    provider = await startOidcProvider({
      clientId: 'twinsync-spa',
      redirectUri: () => `${session.server.url}/app/callback`,
      subject: 'erin',
      email: 'erin@example.com',
    });
  });
  after(() => provider?.close());
  const session = browserSession('sign-in', { env: () => provider.env });
  const { screenshot, problems } = session;
  let server: ServerProcess;
  let page: Page;
  before(() => {
    server = session.server;
    page = session.page;
  });

  it('signs in with the code and its PKCE verifier, and comes back to the screen it left', async () => {
    await page.goto(`${server.url}/app/itwins`);
    await page.getByRole('heading', { name: 'Sign in to twinsync' }).waitFor();
    await screenshot('01-signed-out');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // To the provider and back through /app/callback, which redeems the code and returns here.
    await page.waitForURL(`${server.url}/app/itwins`);
    await page.getByRole('heading', { level: 1, name: 'iTwins' }).waitFor();
    await page.getByText('erin@example.com').waitFor();
    assert.deepEqual(provider.seen.refused, []);
    assert.equal(provider.seen.authorize, 1);
    assert.equal(provider.seen.codeRedeemed, 1);
    // The address bar no longer carries the code.
    assert.doesNotMatch(page.url(), /code=/);
    await screenshot('02-signed-in');
  });

  it('acts as the signed-in user: what it creates belongs to them', async () => {
    await page.getByRole('button', { name: 'New iTwin' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Erin’s iTwin');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name: 'Erin’s iTwin' }).waitFor();
    await page.getByRole('tab', { name: 'Members' }).click();
    await page.getByRole('cell', { name: 'erin@example.com', exact: true }).waitFor();
  });

  it('renews an expiring session with the refresh token, without asking again', async () => {
    await page.evaluate(() => {
      const session = JSON.parse(sessionStorage.getItem('twinsync.session')!);
      sessionStorage.setItem('twinsync.session', JSON.stringify({ ...session, expiresAt: Date.now() + 5_000 }));
    });
    await page.goto(`${server.url}/app/`);
    await page.getByRole('cell', { name: 'Erin’s iTwin', exact: true }).waitFor();
    assert.equal(provider.seen.refreshed, 1);
    assert.equal(provider.seen.authorize, 1, 'no new sign-in');
    const renewed = await page.evaluate(() => JSON.parse(sessionStorage.getItem('twinsync.session')!).expiresAt as number);
    assert.ok(renewed > Date.now() + 60_000);
  });

  it('refuses an answer this tab did not ask for', async () => {
    await page.goto(`${server.url}/app/callback?code=stolen&state=not-mine`);
    await page.getByText('This sign-in answer is not the one this tab asked for').waitFor();
    assert.equal(provider.seen.codeRedeemed, 1, 'the code was not sent to the provider');
  });

  it('signs out', async () => {
    await page.goto(`${server.url}/app/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to twinsync' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('twinsync.session')), null);
    assert.deepEqual(problems, []);
  });
});
