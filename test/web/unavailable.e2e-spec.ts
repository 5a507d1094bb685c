import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase } from '@iap/database';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { type TcpProxy, startTcpProxy } from '../support/tcp-proxy.js';
import { Visitor } from '../support/visitor.js';
import { HAS_CHROMIUM, checkPage, launchChromium, newContext, screenshot } from '../support/browser.js';

/** The list of councils: a page that reads the read models. */
const AREAS = '/areas';

/**
 * Pages while the database is away, as the API: the server reaches its real PostgreSQL through a loopback proxy
 * whose network the test cuts. A page then answers GOV.UK's "Sorry, the service is unavailable" with 503 and
 * Retry-After (never the 500 "problem" page), opens the server's circuit so that the next pages are refused at
 * once, and the pages serve again by themselves once the database is back.
 */
describe('web pages while the database is away', () => {
  let t: TestApp;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const db = await createTestDatabase('iap_web_away');
    const server = new URL(db.url);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    t = await startTestApp({ tokenless: 'anonymous', database: { ...db, url: proxy.via(db.url) } });
  }, 180_000);

  afterAll(async () => {
    proxy?.restore();
    await t?.close();
    await proxy?.close();
  });

  const circuitOpen = async (): Promise<string | undefined> =>
    /^iap_database_circuit_open (\d)/m.exec(await (await fetch(`${t.url}/metrics`)).text())?.[1];

  it('answers "Sorry, the service is unavailable" (503, Retry-After), at once while it stays away, and serves again when it is back', async () => {
    const central = await new Visitor(t.url, 'demo-central').signIn();
    expect((await central.open(AREAS)).status).toBe(200);

    proxy.cut();
    // The page finds the database away: the GOV.UK page, and the circuit opens.
    const found = await central.open(AREAS);
    expect(found.status).toBe(503);
    expect(found.retryAfter).toBe('1');
    expect(found.html).toContain('govuk-template');
    expect(found.html).toContain('<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>');
    expect(found.html).not.toContain('there is a problem with the service');
    expect(await circuitOpen()).toBe('1');

    // While the circuit is open, every page is refused the same way before it tries the database; the page's
    // style sheet still loads, and the API says the same in JSON.
    for (const path of ['/learning', AREAS, '/']) {
      const refused = await central.open(path);
      expect([path, refused.status, refused.retryAfter]).toEqual([path, 503, '1']);
      expect(refused.html).toContain('Sorry, the service is unavailable');
    }
    expect((await fetch(`${t.url}/assets/govuk-frontend.min.css`)).status).toBe(200);
    if (HAS_CHROMIUM) {
      // As a browser shows it: a GOV.UK page with its styles, one h1, its own title, no axe violation.
      const browser = await launchChromium();
      try {
        const page = await (await newContext(browser, true)).newPage();
        const response = await page.goto(`${t.url}${AREAS}`);
        expect(response?.status()).toBe(503);
        await checkPage(page);
        expect(await page.title()).toMatch(/^Sorry, the service is unavailable/);
        await screenshot(page, 'service-unavailable');
      } finally {
        await browser.close();
      }
    }
    const api = await t.gql('{ areas { code } }', {}, t.as({ role: 'CENTRAL' }));
    expect([api.status, api.errors?.[0]?.extensions.code]).toEqual([503, 'UNAVAILABLE']);

    // Back: the circuit's probe finds the database, and the same person's page serves again.
    proxy.restore();
    let back = await central.open(AREAS);
    for (let tries = 0; back.status !== 200 && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      back = await central.open(AREAS);
    }
    expect(back.status).toBe(200);
    expect(back.html).toContain('govuk-template');
    expect(await circuitOpen()).toBe('0');
  });
});
