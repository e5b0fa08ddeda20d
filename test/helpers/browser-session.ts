import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newContext } from './browser.js';
import { deploymentClients } from './deployment-clients.js';
import type { ServerProcess } from './server-process.js';

/**
 * A token of the deployment's own confidential client (`twinsync-local`, made on first start in
 * DATA_DIR), by `client_credentials`: what a browser test signs the page in with, and calls the API
 * with for its setup.
 */
export async function localClientToken(server: ServerProcess, dataDir: string): Promise<string> {
  const local = (await deploymentClients({ DATA_DIR: dataDir })).find((client) => client.clientId === 'twinsync-local')!;
  const answer = await fetch(`${server.url}/connect/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${local.clientId}:${local.clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials&scope=itwin-platform',
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}

/**
 * A laptop-sized page signed in with `token` through the session record a sign-in writes
 * (docs/web-app.md, The test hook), recording console errors, page errors and any request made
 * elsewhere than the service (the page must make none).
 */
export async function signedInPage(
  browser: Browser,
  server: ServerProcess,
  token: string,
): Promise<{ context: BrowserContext; page: Page; problems: string[]; foreign: string[] }> {
  const context = await newContext(browser, { viewport: { width: 1366, height: 768 }, serviceWorkers: 'block' });
  await context.addInitScript(
    (session) => {
      if (!sessionStorage.getItem('twinsync.session')) sessionStorage.setItem('twinsync.session', session);
    },
    JSON.stringify({ accessToken: token, expiresAt: Date.now() + 3600_000 }),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  const foreign: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { context, page, problems, foreign };
}

/** A call of the API with the test's token, its JSON answer (throws on anything but `expect`). */
export async function api<T = Record<string, unknown>>(
  server: ServerProcess,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  expect = [200, 201, 202],
): Promise<{ status: number; headers: Headers; json: T }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      authorization: `Bearer ${token}`,
      accept: path.startsWith('/imodels') ? 'application/vnd.bentley.itwin-platform.v2+json' : 'application/vnd.bentley.itwin-platform.v1+json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!expect.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return { status: response.status, headers: response.headers, json: (text ? JSON.parse(text) : undefined) as T };
}
