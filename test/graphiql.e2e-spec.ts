import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { type TestApp, startTestApp } from './support/test-app.js';
import { describeInBrowser, launchChromium } from './support/browser.js';

const CENTRAL = { role: 'CENTRAL' as const, subject: 'graphiql-tester', name: 'GraphiQL tester' };

/** What the page scripts below use of the browser's document. */
interface PageDocument {
  querySelector(selector: string): { CodeMirror: { getValue(): string } };
}

/** The URLs of every script and style sheet a page references, and whether it holds inline script. */
function referencedAssets(html: string): { scripts: string[]; styles: string[]; inlineScripts: number } {
  const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map(
    (m) => /\bsrc="([^"]*)"/i.exec(m[1])?.[1] ?? '',
  );
  const styles = [...html.matchAll(/<link\b([^>]*)>/gi)]
    .filter((m) => /\brel="stylesheet"/i.test(m[1]))
    .map((m) => /\bhref="([^"]*)"/i.exec(m[1])![1]);
  return {
    scripts: scripts.filter((s) => s !== ''),
    styles,
    inlineScripts: scripts.filter((s) => s === '').length,
  };
}

describe('GraphiQL, served without a CDN', () => {
  let t: TestApp;
  beforeAll(async () => {
    // As on the real server: a request without a token is an anonymous visitor.
    t = await startTestApp({ graphiql: true, tokenless: 'anonymous' });
    const res = await t.gql(
      'mutation($input: RegisterAreaInput!) { registerArea(input: $input) { code } }',
      { input: { code: 'E06000008', name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' } },
      t.as(CENTRAL),
    );
    expect(res.errors).toBeUndefined();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('references only scripts and style sheets that this server serves, and no inline script', async () => {
    const res = await fetch(`${t.url}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const { scripts, styles, inlineScripts } = referencedAssets(html);
    expect(inlineScripts).toBe(0);
    expect(scripts.length).toBeGreaterThanOrEqual(4); // React, ReactDOM, GraphiQL, the page's own start script
    expect(styles.length).toBeGreaterThanOrEqual(1);
    expect(html).not.toMatch(/unpkg|jsdelivr|cdn/i);
    for (const url of [...scripts, ...styles]) {
      const absolute = new URL(url, `${t.url}/graphiql`);
      expect(absolute.origin).toBe(new URL(t.url).origin);
      const asset = await fetch(absolute);
      expect([url, asset.status]).toEqual([url, 200]);
      expect(asset.headers.get('content-type')).toMatch(
        scripts.includes(url) ? /^text\/javascript/ : /^text\/css/,
      );
      const body = await asset.text();
      expect(body.length).toBeGreaterThan(100);
      // Nothing they load comes from elsewhere either: no script fetches another from a CDN, and the style
      // sheet embeds its fonts and images.
      expect(body).not.toMatch(/unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|esm\.sh/);
      for (const [, ref] of body.matchAll(/url\(\s*["']?([^"')]+)/g)) expect(ref).toMatch(/^(data:|#)/);
    }
  });

  it("gives GraphiQL's page a policy of script-src 'self', and every other response the strict one", async () => {
    const page = await fetch(`${t.url}/graphiql`);
    const csp = page.headers.get('content-security-policy')!;
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
    const api = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ themes { code } }' }),
    });
    expect(api.headers.get('content-security-policy')).toBe(
      "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'",
    );
  });

  describeInBrowser('in Chromium, with every request off this machine blocked', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('renders the editor and runs a query with the Authorization header from the Headers tab', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const blocked: string[] = [];
      const problems: string[] = [];
      await context.route('**/*', (route) => {
        const { hostname } = new URL(route.request().url());
        if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
        blocked.push(route.request().url());
        return route.abort('internetdisconnected');
      });
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      try {
        await page.goto(`${t.url}/graphiql`, { waitUntil: 'load' });
        await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 30_000 });
        await page.locator('.graphiql-execute-button').waitFor();

        // Typed into the editors as a person would (select all, then the text).
        const setEditor = async (selector: string, text: string) => {
          await page.locator(`${selector}:visible`).click();
          await page.keyboard.press('ControlOrMeta+A');
          await page.keyboard.insertText(text);
        };
        const response = () =>
          page.evaluate(() => {
            // In the page (the test's types have no DOM): CodeMirror 5 keeps its editor on its element.
            const { document } = globalThis as unknown as { document: PageDocument };
            const el = document.querySelector('.graphiql-response .CodeMirror');
            return el.CodeMirror.getValue();
          });
        const run = async () => {
          const before = await response();
          await page.locator('.graphiql-execute-button').click();
          await page.waitForFunction(
            (prev) => {
              const { document } = globalThis as unknown as { document: PageDocument };
              const el = document.querySelector('.graphiql-response .CodeMirror');
              const value = el.CodeMirror.getValue();
              return value !== prev && value.trim().startsWith('{');
            },
            before,
            { timeout: 15_000 },
          );
          return JSON.parse(await response()) as {
            data?: unknown;
            errors?: { extensions?: { code?: string } }[];
          };
        };

        await setEditor('.graphiql-query-editor .CodeMirror', '{ areas { code name kind } }');
        // Without a token: refused, as the README says.
        const anonymous = await run();
        expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

        // The Headers tab is open at first (the page asks for it); paste a token as the README says.
        await page.locator('.graphiql-editor-tools').getByText('Headers', { exact: true }).click();
        await setEditor(
          '.graphiql-editor-tool .CodeMirror',
          JSON.stringify({ Authorization: `Bearer ${t.token(CENTRAL)}` }),
        );
        const signedIn = await run();
        expect(signedIn).toEqual({
          data: { areas: [{ code: 'E06000008', name: 'Blackburn with Darwen', kind: 'PILOT' }] },
        });

        const dir = path.join(os.tmpdir(), 'iap-graphiql');
        await mkdir(dir, { recursive: true });
        await page.screenshot({ path: path.join(dir, 'graphiql.png') });
        expect(blocked).toEqual([]);
        // Anonymous requests are answered 200 with UNAUTHENTICATED today, a refused token 401: only failures
        // of the page itself (a script refused by the policy, a missing asset) count here.
        expect(problems.filter((p) => !/status of 40[13]/.test(p))).toEqual([]);
      } finally {
        await context.close();
      }
    }, 90_000);
  });
});
