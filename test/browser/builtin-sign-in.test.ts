import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADMIN_EMAIL, ADMIN_PASSWORD, browserMissing, browserSession, unnamedControls } from '../helpers/browser.js';

/**
 * A person signing in to the web application with the built-in issuer, in Chromium, on a freshly
 * started service: the page's Sign in button, the issuer's own login page (docs/sign-in.md), typed
 * with the keyboard, a wrong password and then the right one, and back to the screen it left, signed
 * in as the first account. The issuer's page must cause no console error (its CSP) and name every field.
 */
describe('browser: signing in with the built-in issuer’s login page', { skip: browserMissing() }, () => {
  const session = browserSession('builtin-sign-in');
  const { screenshot, problems } = session;

  it('from the page to the login page, a wrong password, the right one, and back signed in', async () => {
    const { page, server } = session;
    await page.goto(`${server.url}/app/itwins`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/connect\/authorize\?/);
    assert.deepEqual(await unnamedControls(page), []);
    await screenshot('01-login-page');

    // Focus starts in the address field; the keyboard does the rest.
    await page.keyboard.type(ADMIN_EMAIL);
    await page.keyboard.press('Tab');
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('The e-mail address or the password is not right.').waitFor();
    assert.equal(await page.getByLabel('E-mail address').inputValue(), ADMIN_EMAIL);
    assert.equal(await page.getByLabel('Password').inputValue(), '');
    await screenshot('02-wrong-password');

    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/app/itwins`);
    await page.getByRole('heading', { level: 1, name: 'iTwins' }).waitFor();
    await page.getByText(ADMIN_EMAIL).first().waitFor();
    assert.doesNotMatch(page.url(), /code=/);
    const stored = await page.evaluate(() => JSON.parse(sessionStorage.getItem('twinsync.session')!) as { refreshToken?: string });
    assert.ok(stored.refreshToken, 'a refresh token to stay signed in');
    await screenshot('03-signed-in');
    assert.deepEqual(problems, []);
  });
});
