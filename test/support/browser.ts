import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

/** Debian's chromium (`apt-get install -y chromium`, which .ci/run does); browser suites skip where there is none. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** `describe` where Chromium exists, else `describe.skip`: reported as skipped, never as passed. */
export const describeInBrowser = HAS_CHROMIUM ? describe : describe.skip;

/** Where screenshots go (git-ignored): test-output/screenshots/<name>.png. */
export const SCREENSHOTS = path.resolve('test-output', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A browser context as a person uses it: with JavaScript, or without (every journey runs both ways). */
export function newContext(browser: Browser, javaScript: boolean): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: javaScript, viewport: { width: 1100, height: 900 } });
}

/** Both ways a journey runs: with JavaScript and without (progressive enhancement). */
export const JAVASCRIPT_MODES = [
  { javaScript: true, label: 'with JavaScript' },
  { javaScript: false, label: 'without JavaScript' },
] as const;

/**
 * What a journey run one way (`mode`) uses: screenshots only with JavaScript (`shot`), and each page checked,
 * its title compared with the other pages' (`titles`) only with JavaScript (`seen`).
 */
export function journeyIn(
  mode: (typeof JAVASCRIPT_MODES)[number],
  titles: Map<string, string>,
): { shot(page: Page, name: string): Promise<string> | undefined; seen(page: Page): Promise<void> } {
  return {
    shot: (page, name) => (mode.javaScript ? screenshot(page, name) : undefined),
    seen: (page) => checkPage(page, mode.javaScript ? titles : undefined),
  };
}

/** Signs in on the demo sign-in page as the person whose name is shown (e.g. "Central integration team (demo)"). */
export async function signInAs(page: Page, baseUrl: string, name: string, returnTo = '/'): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByLabel(name, { exact: true }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('load');
}

/**
 * What every page must be: no accessibility violation (axe-core, WCAG 2.2 AA and below), exactly one h1, a
 * title of its own (`titles` collects those seen in a suite: the same title on two different pages fails).
 * axe-core runs as a script in the page, so a context without JavaScript checks the rest (its journeys' pages
 * are the same HTML, checked by axe in the run with JavaScript).
 */
export async function checkPage(page: Page, titles?: Map<string, string>): Promise<void> {
  const javaScript = await page
    .evaluate(() => true)
    .then(() => true)
    .catch(() => false);
  if (javaScript && (await page.locator('body.js-enabled').count()) > 0) {
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    const violations = results.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
    expect({ url: page.url(), violations }).toEqual({ url: page.url(), violations: [] });
  }
  expect(await page.locator('h1').count()).toBe(1);
  const title = await page.title();
  expect(title).toMatch(/Integration Area Programme – GOV\.UK$/);
  if (titles) {
    const where = new URL(page.url()).pathname;
    const seen = titles.get(title);
    if (seen !== undefined) expect({ title, path: where }).toEqual({ title, path: seen });
    titles.set(title, where);
  }
}

/** Writes a full-page screenshot to test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  // A full page on a busy machine (Chromium starved of CPU by other suites) can take longer than the 30 s default.
  await page.screenshot({ path: file, fullPage: true, timeout: 120_000 });
  return file;
}
