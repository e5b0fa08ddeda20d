import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchChromium, newContext, screenshots, unnamedControls } from '../helpers/browser.js';
import { type ServerProcess, startServerProcess } from '../helpers/server-process.js';

/**
 * A person signing in to the web application with the built-in issuer, in Chromium, on a freshly
 * started service: the page's Sign in button, the issuer's own login page (docs/sign-in.md), typed
 * with the keyboard, a wrong password and then the right one, and back to the screen it left, signed
 * in as the first account. The issuer's page must cause no console error (its CSP) and name every field.
 */
describe('browser: signing in with the built-in issuer’s login page', { skip: browserMissing() }, () => {
  const screenshot = screenshots('builtin-sign-in');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-browser-builtin-'));
  const password = 'the first password';
  let server: ServerProcess | undefined;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    server = await startServerProcess({ DATA_DIR: dataDir, AUTH_ADMIN_PASSWORD: password });
    browser = await launchChromium();
    const context = await newContext(browser, { viewport: { width: 1366, height: 768 }, serviceWorkers: 'block' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('from the page to the login page, a wrong password, the right one, and back signed in', async () => {
    await page.goto(`${server!.url}/app/itwins`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/connect\/authorize\?/);
    assert.deepEqual(await unnamedControls(page), []);
    await screenshot(page, '01-login-page');

    // Focus starts in the address field; the keyboard does the rest.
    await page.keyboard.type('admin@twinsync.localhost');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('The e-mail address or the password is not right.').waitFor();
    assert.equal(await page.getByLabel('E-mail address').inputValue(), 'admin@twinsync.localhost');
    assert.equal(await page.getByLabel('Password').inputValue(), '');
    await screenshot(page, '02-wrong-password');

    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server!.url}/app/itwins`);
    await page.getByRole('heading', { level: 1, name: 'iTwins' }).waitFor();
    await page.getByText('admin@twinsync.localhost').first().waitFor();
    assert.doesNotMatch(page.url(), /code=/);
    const session = await page.evaluate(() => JSON.parse(sessionStorage.getItem('twinsync.session')!) as { refreshToken?: string });
    assert.ok(session.refreshToken, 'a refresh token to stay signed in');
    await screenshot(page, '03-signed-in');
    assert.deepEqual(problems, []);
  });
});
