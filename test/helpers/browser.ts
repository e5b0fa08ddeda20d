import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions, ConsoleMessage, Page } from 'playwright-core';
import { ROOT, type ServerProcess, startServerProcess } from './server-process.js';

/** Debian's Chromium (apt-get install chromium): the browser the page's tests drive. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless and off the network: no background downloads, component updates, sync or first-run
 * pages, so that the only requests a test sees are the page's own.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  try {
    fs.accessSync(CHROMIUM, fs.constants.X_OK);
    return undefined;
  } catch {
    return `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium; .ci/run does it where it may)`;
  }
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A context for one test. tsx compiles the tests with esbuild's keepNames, which wraps named
 * functions in calls to a `__name` helper; functions handed to page.evaluate run in the page, where
 * no such helper exists. The page gets a harmless one (as text, so that it is not wrapped itself).
 */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  return context;
}

/** Where screenshots go: test-artifacts/ (gitignored), kept after the run for people and CI to look at. */
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'browser');

/**
 * The screenshots of one test file, in a folder of its own (test files run in parallel), emptied
 * when the file starts: what is there after a run is that run's.
 */
export function screenshots(suite: string): (page: Page, name: string) => Promise<void> {
  const folder = path.join(ARTIFACTS, suite);
  fs.rmSync(folder, { recursive: true, force: true });
  return async (page, name) => {
    fs.mkdirSync(folder, { recursive: true });
    await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
  };
}

/**
 * Controls a person using a screen reader could not name: buttons, links, inputs and selects with
 * no text, no aria-label, no aria-labelledby, no title and no label element. Returns their outer
 * HTML (shortened), for the assertion message.
 */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = (element: Element): boolean => {
      if (element.getAttribute('aria-hidden') === 'true') return true;
      if ((element.getAttribute('aria-label') ?? '').trim()) return true;
      const labelledBy = element.getAttribute('aria-labelledby');
      if (labelledBy && labelledBy.split(/\s+/).some((id) => (document.getElementById(id)?.textContent ?? '').trim())) return true;
      if ((element.getAttribute('title') ?? '').trim()) return true;
      if (element instanceof HTMLInputElement || element instanceof HTMLSelectElement || element instanceof HTMLTextAreaElement) {
        if (element.type === 'hidden') return true;
        if ([...(element.labels ?? [])].some((label) => (label.textContent ?? '').trim())) return true;
        return false;
      }
      return (element.textContent ?? '').trim() !== '';
    };
    const visible = (element: Element) => {
      const box = (element as HTMLElement).getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    };
    return [...document.querySelectorAll('button, a[href], input, select, textarea, [role="button"], [role="tab"]')]
      .filter((element) => visible(element) && !named(element))
      .map((element) => element.outerHTML.slice(0, 160));
  });
}

/** The built-in issuer's first account (docs/sign-in.md), and the password the browser tests give it (AUTH_ADMIN_PASSWORD). */
export const ADMIN_EMAIL = 'admin@twinsync.localhost';
export const ADMIN_PASSWORD = 'the browser tests’ password';

/**
 * Signs in as a person does: the page's Sign in button, the built-in issuer's login page at
 * /connect/authorize (authorization code with PKCE, docs/sign-in.md), the form filled, and back
 * through /app/callback to the screen it left. `shot`, when given, is called on each screen.
 */
export async function signIn(page: Page, serviceUrl: string, shot?: (name: string) => Promise<void>): Promise<void> {
  await page.goto(`${serviceUrl}/app/itwins`);
  await page.getByRole('heading', { name: 'Sign in to twinsync' }).waitFor();
  await shot?.('signed-out');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/connect\/authorize\?/);
  await shot?.('login-page');
  await page.getByLabel('E-mail address').fill(ADMIN_EMAIL);
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${serviceUrl}/app/itwins`);
  await page.getByRole('heading', { level: 1, name: 'iTwins' }).waitFor();
}

export interface BrowserSession {
  /** `npm start`'s program on an empty data folder of its own, with the built-in issuer's first account. */
  readonly server: ServerProcess;
  readonly context: BrowserContext;
  /** The one tab the file's tests share. */
  readonly page: Page;
  /** Every address the page requested, in order. */
  readonly requests: string[];
  /** Console errors and uncaught errors of the page (a Content-Security-Policy violation is one). */
  readonly problems: string[];
  /** A screenshot of the page into the file's artefacts folder. */
  screenshot(name: string): Promise<void>;
  /**
   * One step of a path through the page, as a test: later steps need what earlier ones made, so
   * after a failure they are skipped (with the reason) instead of failing for the same cause; a
   * failing step leaves a screenshot of what the page showed (`failed-NN`).
   */
  step(name: string, body: () => Promise<void>): void;
  /** GET on the API as the signed-in person (the page's own token), to check what the page did; asserts 200. */
  api(pathOrUrl: string, accept?: string): Promise<any>;
}

/**
 * What every browser test file needs, set up in `before` and taken down in `after`: the service on
 * an empty data folder (with `AUTH_ADMIN_PASSWORD`, so the built-in issuer's first account can sign
 * in), Debian's Chromium, one context and one page at the laptop size the page is laid out for,
 * recording the page's requests and problems. Signing in is left to the tests (`signIn`): nothing
 * writes a token into the page. `ignoreConsole` names the console errors a file expects; dialogs
 * (a confirmation) are accepted.
 */
export function browserSession(
  suite: string,
  options: { env?: () => Record<string, string>; ignoreConsole?: (message: ConsoleMessage) => boolean } = {},
): BrowserSession {
  const shots = screenshots(suite);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `twinsync-browser-${suite}-`));
  const requests: string[] = [];
  const problems: string[] = [];
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser session starts in before: use it in hooks and tests');
    return value;
  };

  before(async () => {
    server = await startServerProcess({ DATA_DIR: dataDir, AUTH_ADMIN_PASSWORD: ADMIN_PASSWORD, ...options.env?.() });
    browser = await launchChromium();
    context = await newContext(browser, { viewport: { width: 1366, height: 768 }, serviceWorkers: 'block' });
    page = await context.newPage();
    // `npm test` runs three files at once: with two of them converting IFC files, a sign-in (its
    // password hash) or a screen took 10 s where it takes 2 alone.
    page.setDefaultTimeout(20_000);
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error' && !options.ignoreConsole?.(message)) problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => void dialog.accept());
  });

  after(async () => {
    await browser?.close();
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let failed: string | undefined;
  let steps = 0;
  const session: BrowserSession = {
    get server() {
      return started(server);
    },
    get context() {
      return started(context);
    },
    get page() {
      return started(page);
    },
    requests,
    problems,
    screenshot: (name) => shots(started(page), name),
    step(name, body) {
      const number = String(++steps).padStart(2, '0');
      it(name, async (t) => {
        if (failed) return t.skip(`an earlier step failed: ${failed}`);
        try {
          await body();
        } catch (error) {
          failed = name;
          await session.screenshot(`failed-${number}`).catch(() => {});
          throw error;
        }
      });
    },
    async api(pathOrUrl, accept = 'application/vnd.bentley.itwin-platform.v1+json') {
      const token = await started(page).evaluate(
        () => (JSON.parse(sessionStorage.getItem('twinsync.session') ?? '{}') as { accessToken?: string }).accessToken,
      );
      if (!token) throw new Error('nobody is signed in in the page');
      const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${started(server).url}${pathOrUrl}`;
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept } });
      if (res.status !== 200) throw new Error(`${pathOrUrl}: ${res.status} ${await res.text()}`);
      return res.json();
    },
  };
  return session;
}
