import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { ROOT } from './server-process.js';

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
