import { afterAll, beforeAll } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadDemoIfEmpty } from '../../src/demo/public-api.js';
import { launchChromium, newContext } from './browser.js';
import { type TestApp, type TestAppOptions, startTestApp } from './test-app.js';

/**
 * The real server on a fresh database with the demo programme loaded (the five pilots, their actions, spend,
 * measurements, returns and learning), as the zero-setup start shows it: for the web journeys.
 */
export async function startDemoApp(options: TestAppOptions = {}): Promise<TestApp> {
  const t = await startTestApp({ tokenless: 'anonymous', ...options });
  await loadDemoIfEmpty(t.app, { log: () => undefined });
  return t;
}

/** A browser suite's server (the demo programme) and Chromium: started before its tests, closed after them. */
export interface WebJourneys {
  readonly t: TestApp;
  readonly browser: Browser;
  /** The server's address. */
  readonly url: string;
  /** A new browser context, with JavaScript or without, and a page in it. */
  open(javaScript: boolean): Promise<{ context: BrowserContext; page: Page }>;
}

/** A suite's demo server (`startDemoApp`): started before its tests, closed after them. */
export interface DemoApp {
  readonly t: TestApp;
}

/** Started in a test, or the error that says to use it inside one. */
function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('The demo server has not started: use it inside a test');
  return value;
}

/** Starts, for the `describe` it is called in, the demo server alone, and closes it after its tests. */
export function demoApp(options: TestAppOptions = {}): DemoApp {
  let t: TestApp | undefined;
  // Loading the demo programme takes a minute or more on a busy machine.
  beforeAll(async () => {
    t = await startDemoApp(options);
  }, 420_000);
  afterAll(async () => {
    await t?.close();
  });
  return {
    get t() {
      return started(t);
    },
  };
}

/** Starts, for the `describe` it is called in, the demo server and Chromium, and closes both after its tests. */
export function webJourneys(options: TestAppOptions = {}): WebJourneys {
  // Chromium's hooks first: it is closed before the server (jest-circus runs after-hooks in their order).
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });
  const demo = demoApp(options);
  return {
    get t() {
      return demo.t;
    },
    get browser() {
      return started(browser);
    },
    get url() {
      return demo.t.url;
    },
    async open(javaScript) {
      const context = await newContext(started(browser), javaScript);
      return { context, page: await context.newPage() };
    },
  };
}
