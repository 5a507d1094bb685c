import { describe, expect, it } from '@jest/globals';
import { demoApp, webJourneys } from '../support/web-app.js';
import { JAVASCRIPT_MODES, checkPage, describeInBrowser, screenshot, signInAs } from '../support/browser.js';

/** The web service's frame: GOV.UK assets from this server, CSP, sessions, sign-in and out, error pages. */
describe('the web service over HTTP', () => {
  const demo = demoApp();

  it('serves the start page as a GOV.UK page with a strict Content-Security-Policy', async () => {
    const res = await fetch(`${demo.t.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('govuk-template');
    expect(html).toContain('Integration Area Programme');
    const csp = res.headers.get('content-security-policy') ?? '';
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    // The only inline script is the GOV.UK template's, and it carries this response's nonce.
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
    expect(inline).toEqual([` nonce="${nonce}"`]);
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toMatch(/ on[a-z]+="/); // no inline event handlers
    expect(html).not.toMatch(/cdn|unpkg|jsdelivr/i);
  });

  it('serves GOV.UK Frontend from the installed package, fonts and images included', async () => {
    const css = await fetch(`${demo.t.url}/assets/govuk-frontend.min.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    const font = /url\("?(\/assets\/fonts\/[^")]+\.woff2)"?\)/.exec(await css.text())?.[1];
    expect(font).toBeDefined();
    expect((await fetch(`${demo.t.url}${font}`)).status).toBe(200);
    expect((await fetch(`${demo.t.url}/assets/govuk-frontend.min.js`)).status).toBe(200);
    expect((await fetch(`${demo.t.url}/assets/images/favicon.svg`)).status).toBe(200);
  });

  it('answers an unknown address with the GOV.UK 404 page for a web.browser, JSON for the API', async () => {
    const page = await fetch(`${demo.t.url}/no-such-page`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Page not found');
    const api = await fetch(`${demo.t.url}/no-such-page`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/json/);
  });

  it('refuses a form sent without the session CSRF token, and signs nobody in', async () => {
    const res = await fetch(`${demo.t.url}/sign-in/demo`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: 'person=demo-central&returnTo=%2F',
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('This form has expired');
    expect(res.headers.get('set-cookie') ?? '').not.toMatch(/iap_session=[^;]{200,}/);
  });

  it("answers viewer.may from the operation's own policy, for the pages to show only what a person may do", async () => {
    const query =
      'query($op: String!, $args: JSON) { viewer { signedIn role area may(operation: $op, args: $args) } }';
    const blackburn = demo.t.as({ role: 'PILOT', area: 'E06000008' });
    const own = await demo.t.gql(
      query,
      { op: 'reportSpend', args: { input: { areaCode: 'E06000008' } } },
      blackburn,
    );
    expect(own.data).toEqual({ viewer: { signedIn: true, role: 'PILOT', area: 'E06000008', may: true } });
    const other = await demo.t.gql(
      query,
      { op: 'reportSpend', args: { input: { areaCode: 'E08000032' } } },
      blackburn,
    );
    expect(other.data).toEqual({ viewer: { signedIn: true, role: 'PILOT', area: 'E06000008', may: false } });
    const approve = await demo.t.gql(query, { op: 'registerArea', args: {} }, blackburn);
    expect((approve.data as { viewer: { may: boolean } }).viewer.may).toBe(false);
    const central = await demo.t.gql(query, { op: 'registerArea', args: {} }, demo.t.as({ role: 'CENTRAL' }));
    expect((central.data as { viewer: { may: boolean } }).viewer.may).toBe(true);
    const visitor = await demo.t.gql(query, { op: 'Query.learningLibrary', args: {} });
    expect(visitor.data).toEqual({ viewer: { signedIn: false, role: null, area: null, may: true } });
    const unknown = await demo.t.gql(query, { op: 'launchRocket', args: {} }, blackburn);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'operation' });
  });

  it('sets the session cookie HttpOnly and SameSite=Lax', async () => {
    const res = await fetch(`${demo.t.url}/sign-in`);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^iap_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });
});

describeInBrowser('the web service in Chromium', () => {
  const web = webJourneys();

  for (const mode of JAVASCRIPT_MODES) {
    it(`signs a demo user in and out, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      const titles = new Map<string, string>();
      await page.goto(`${web.url}/`);
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'start');
      await page.getByRole('link', { name: 'Sign in', exact: true }).first().click();
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'sign-in-demo');
      // Signing in without choosing anyone is refused with a GOV.UK error summary linking to the radios.
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await page.getByRole('heading', { name: 'There is a problem' }).count()).toBe(1);
      expect(await page.locator('.govuk-error-summary a[href="#person"]').count()).toBe(1);
      await checkPage(page);
      await signInAs(page, web.url, 'Leicester officer (demo)');
      await page.goto(`${web.url}/`);
      expect(await page.locator('.app-sign-out__name').textContent()).toBe('Leicester officer (demo)');
      await page.getByRole('button', { name: 'Sign out' }).click();
      expect(await page.getByRole('heading', { name: 'You have signed out' }).count()).toBe(1);
      await checkPage(page, titles);
      await context.close();
    });
  }

  it('shows the 404 page in the service style, to a signed-in person as signed in', async () => {
    const { context, page } = await web.open(true);
    const res = await page.goto(`${web.url}/no-such-page`);
    expect(res?.status()).toBe(404);
    await checkPage(page);
    await signInAs(page, web.url, 'Central integration team (demo)');
    await page.goto(`${web.url}/no-such-page`);
    expect(await page.locator('.app-sign-out__name').textContent()).toBe('Central integration team (demo)');
    await context.close();
  });
});
