import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import type { OidcSettings } from '../../apps/web/src/oidc.js';
import type { WebSettings } from '../../apps/web/src/web.js';
import { type TestApp } from '../support/test-app.js';
import { startDemoApp } from '../support/web-app.js';
import {
  TEST_CLIENT_ID,
  TEST_CLIENT_SECRET,
  type TestIdentityProvider,
  startTestIdentityProvider,
} from '../support/oidc-provider.js';
import { checkPage, describeInBrowser, launchChromium, newContext, screenshot } from '../support/browser.js';

/** The people at the tests' identity provider: their user name and their claims. */
const ACCOUNTS = {
  central: { name: 'Cara Central', iap_role: 'CENTRAL' },
  pilot: { name: 'Priya Pilot', iap_role: 'PILOT', iap_area: 'E06000008' },
  'bad-role': { name: 'Bob Badrole', iap_role: 'ADMIN' },
  'no-area': { name: 'Nora Noarea', iap_role: 'COUNCIL' },
};

/** The service's settings with sign-in through the tests' provider (the callback set once the service listens). */
function webSettings(issuer: string): {
  web: WebSettings;
  oidc: { -readonly [K in keyof OidcSettings]: OidcSettings[K] };
} {
  const oidc = {
    issuerUrl: issuer,
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    redirectUri: '',
    roleClaim: 'iap_role',
    areaClaim: 'iap_area',
    nameClaim: 'name',
  };
  return {
    oidc,
    web: {
      production: false,
      sessionSecret: 'oidc-test-session-secret-0123456789-abcdef',
      sessionIdleMinutes: 30,
      demoSignIn: false,
      returnDueDays: 30,
      oidc,
    },
  };
}

/** Both servers with sign-in through the provider: the service registered at the provider, and configured with it. */
async function startBoth(): Promise<{ t: TestApp; idp: TestIdentityProvider }> {
  const idp = await startTestIdentityProvider(ACCOUNTS);
  const { web, oidc } = webSettings(idp.issuer);
  const t = await startDemoApp({ web });
  // The service's address is known once it listens; it reads its callback address at each sign-in.
  oidc.redirectUri = `${t.url}/sign-in/callback`;
  idp.serve(t.url);
  return { t, idp };
}

/** A browser's cookies, as plain as they can be: per origin, the latest value of each name. */
class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { accept: 'text/html', ...(cookie ? { cookie } : {}), ...(init.headers ?? {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const gone = attributes.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a),
      );
      if (gone || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  }

  /** A redirect's target, resolved against the URL that answered. */
  static location(res: Response, from: string): string {
    const location = res.headers.get('location');
    if (!location) throw new Error(`Expected a redirect from ${from}, got ${res.status}`);
    return new URL(location, from).href;
  }
}

/** The hidden CSRF token of a page's forms. */
function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('The page has no form with a CSRF token');
  return token;
}

describe('sign-in through an OpenID Connect provider, over HTTP', () => {
  let t: TestApp;
  let idp: TestIdentityProvider;
  beforeAll(async () => {
    ({ t, idp } = await startBoth());
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await idp?.close();
  });

  /** Signs in at the provider as `login`, from the service's /sign-in, and returns the callback URL it answers with. */
  async function toCallback(
    jar: CookieJar,
    login: string,
    returnTo = '/',
  ): Promise<{ authorize: URL; callback: string }> {
    let url = `${t.url}/sign-in?returnTo=${encodeURIComponent(returnTo)}`;
    url = CookieJar.location(await jar.fetch(url), url); // /sign-in/oidc
    url = CookieJar.location(await jar.fetch(url), url); // the provider's authorisation endpoint
    const authorize = new URL(url);
    url = CookieJar.location(await jar.fetch(url), url); // its sign-in page
    const form = await jar.fetch(url);
    expect(await form.text()).toContain('Sign in to the test identity provider');
    let res = await jar.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login }).toString(),
    });
    url = CookieJar.location(res, url);
    // Back through the provider's authorisation endpoint until it sends the person to the service.
    while (!url.startsWith(t.url)) {
      res = await jar.fetch(url);
      url = CookieJar.location(res, url);
    }
    return { authorize, callback: url };
  }

  it('starts while the provider is down, says sign-in is not available, and discovers it once it is back', async () => {
    idp.available = false;
    try {
      const start = await fetch(`${t.url}/`);
      expect(start.status).toBe(200);
      const jar = new CookieJar();
      const res = await jar.fetch(`${t.url}/sign-in/oidc?returnTo=%2F`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('Sorry, sign-in is not available right now');
    } finally {
      idp.available = true;
    }
    const jar = new CookieJar();
    const res = await jar.fetch(`${t.url}/sign-in/oidc?returnTo=%2F`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${idp.issuer}/`));
  });

  it('sends the person to the provider with PKCE (S256), state and nonce, and signs them in with the role and area of their claims', async () => {
    const jar = new CookieJar();
    const { authorize, callback } = await toCallback(jar, 'pilot', '/account');
    const q = authorize.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(TEST_CLIENT_ID);
    expect(q.get('redirect_uri')).toBe(`${t.url}/sign-in/callback`);
    expect(q.get('scope')?.split(' ')).toContain('openid');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(new URL(callback).searchParams.get('state')).toBe(q.get('state'));

    // The code alone is worth nothing: the provider wants the PKCE verifier, which only the person's session holds.
    const code = new URL(callback).searchParams.get('code')!;
    const stolen = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${TEST_CLIENT_ID}:${TEST_CLIENT_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: `${t.url}/sign-in/callback`,
      }).toString(),
    });
    expect(stolen.status).toBe(400);

    const landed = await jar.fetch(callback);
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/account');
    // The account page runs the API's own `viewer` query as the signed-in person.
    const account = await jar.fetch(`${t.url}/account`);
    expect(account.status).toBe(200);
    const html = await account.text();
    expect(html).toContain('Priya Pilot');
    expect(html).toContain('Pilot council officer');
    expect(html).toContain('E06000008');
    expect(html).toContain('Your organisation&#39;s sign-in');
    // The pilot's navigation: their own area.
    expect(html).toContain('href="/areas/E06000008"');
    // Their area's dashboard, drawn from the API's queries run as them.
    const dashboard = await jar.fetch(`${t.url}/areas/E06000008`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('Blackburn with Darwen');
  });

  it('lands the central team on their home page, signed in as the central team', async () => {
    const jar = new CookieJar();
    const { callback } = await toCallback(jar, 'central');
    const landed = await jar.fetch(callback);
    expect(landed.headers.get('location')).toBe('/programme');
    const html = await (await jar.fetch(`${t.url}/account`)).text();
    expect(html).toContain('Cara Central');
    expect(html).toContain('Central integration team');
    expect(html).not.toContain('Council (ONS code)');
  });

  it('refuses an answer whose state is not the one it sent, and signs nobody in', async () => {
    const jar = new CookieJar();
    const { callback } = await toCallback(jar, 'central');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'not-the-state-the-service-sent');
    const refused = await jar.fetch(forged.href);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('You have not been signed in');
    expect(refused.headers.get('location')).toBeNull();
    const account = await jar.fetch(`${t.url}/account`);
    expect(account.status).toBe(303);
    expect(account.headers.get('location')).toBe('/sign-in?returnTo=%2Faccount');
    // The sign-in is spent: even its genuine answer is refused now.
    const replay = await jar.fetch(callback);
    expect(replay.status).toBe(400);
    expect((await jar.fetch(`${t.url}/account`)).status).toBe(303);
  });

  it('refuses a callback no sign-in was started for', async () => {
    const jar = new CookieJar();
    const res = await jar.fetch(`${t.url}/sign-in/callback?code=abc&state=def`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('You have not been signed in');
  });

  it('refuses a person whose claims carry no valid role, or no council for a council officer', async () => {
    for (const [login, says] of [
      ['bad-role', 'does not give you a role in this service'],
      ['no-area', 'does not say which council you work for'],
    ] as const) {
      const jar = new CookieJar();
      const { callback } = await toCallback(jar, login);
      const res = await jar.fetch(callback);
      expect(res.status).toBe(403);
      const html = await res.text();
      expect(html).toContain('You cannot use this service yet');
      expect(html).toContain(says);
      expect((await jar.fetch(`${t.url}/account`)).status).toBe(303);
    }
  });

  it("signs out: ends the service's session and sends the person to the provider to end theirs", async () => {
    const jar = new CookieJar();
    const { callback } = await toCallback(jar, 'central');
    await jar.fetch(callback);
    const page = await jar.fetch(`${t.url}/account`);
    const out = await jar.fetch(`${t.url}/sign-out`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrfOf(await page.text()) }).toString(),
    });
    // A page that moves on to the provider by itself (a redirect from the form would break its CSP form-action).
    expect(out.status).toBe(200);
    const signingOut = await out.text();
    const link = /id="end-session" href="([^"]+)"/.exec(signingOut)?.[1]?.replaceAll('&amp;', '&');
    expect(signingOut).toContain(
      `<meta http-equiv="refresh" content="0;url=${link?.replaceAll('&', '&amp;')}">`,
    );
    const endSession = new URL(link!);
    expect(endSession.origin + endSession.pathname).toBe(`${idp.issuer}/session/end`);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${t.url}/signed-out`);
    expect(endSession.searchParams.get('id_token_hint')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect((await jar.fetch(`${t.url}/account`)).status).toBe(303);

    // The provider asks to confirm, then sends the person back to the service's signed-out page.
    const confirm = await (await jar.fetch(endSession.href)).text();
    const action = /action="([^"]+)"/.exec(confirm)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm)?.[1];
    expect(action && xsrf).toBeTruthy();
    const done = await jar.fetch(new URL(action!, idp.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }).toString(),
    });
    expect(CookieJar.location(done, idp.issuer)).toBe(`${t.url}/signed-out`);
    // Signed out at the provider too: signing in again asks who you are.
    let url = `${t.url}/sign-in/oidc`;
    url = CookieJar.location(await jar.fetch(url), url);
    url = CookieJar.location(await jar.fetch(url), url);
    expect(url).toMatch(new RegExp(`^${idp.issuer}/interaction/`));
  });

  it('signs out a person idle for longer than the idle timeout, and says why', async () => {
    const jar = new CookieJar();
    const { callback } = await toCallback(jar, 'pilot', '/account');
    await jar.fetch(callback);
    expect((await jar.fetch(`${t.url}/account`)).status).toBe(200);
    const now = Date.now();
    const later = jest.spyOn(Date, 'now').mockImplementation(() => now + 31 * 60_000);
    let res: Response;
    try {
      res = await jar.fetch(`${t.url}/`);
    } finally {
      later.mockRestore();
    }
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('You were signed out because you did nothing for 30 minutes');
    expect(html).not.toContain('Priya Pilot');
    expect((await jar.fetch(`${t.url}/account`)).status).toBe(303);
  });
});

describeInBrowser('sign-in through an OpenID Connect provider, in Chromium', () => {
  let t: TestApp;
  let idp: TestIdentityProvider;
  let browser: Browser;
  beforeAll(async () => {
    ({ t, idp } = await startBoth());
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp?.close();
  });

  it('signs a pilot officer in at the provider and out again', async () => {
    const context = await newContext(browser, true);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const titles = new Map<string, string>();
    await page.goto(`${t.url}/`);
    await checkPage(page, titles);
    // The provider is down (and has never been reached): the service says so, and tries again next time.
    idp.available = false;
    try {
      await page.getByRole('link', { name: 'Sign in', exact: true }).first().click();
      expect(
        await page.getByRole('heading', { name: 'Sorry, sign-in is not available right now' }).count(),
      ).toBe(1);
      await checkPage(page, titles);
      await screenshot(page, 'oidc-unavailable');
    } finally {
      idp.available = true;
    }
    await page.getByRole('link', { name: 'Try signing in again' }).click();
    // The provider's own sign-in page.
    await page.getByLabel('User name').fill('pilot');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${t.url}/**`);
    await page.goto(`${t.url}/account`);
    expect(await page.getByRole('heading', { name: 'Your account' }).count()).toBe(1);
    expect(await page.locator('.app-sign-out__name').textContent()).toBe('Priya Pilot');
    await checkPage(page, titles);
    await screenshot(page, 'oidc-account');
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The provider asks to confirm, then sends the person back to the service.
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${t.url}/signed-out`);
    expect(await page.getByRole('heading', { name: 'You have signed out' }).count()).toBe(1);
    await checkPage(page, titles);
    await context.close();
  }, 180_000);

  it('shows the refusal and failure pages in the service style', async () => {
    const context = await newContext(browser, true);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const titles = new Map<string, string>();
    await page.goto(`${t.url}/sign-in`);
    await page.getByLabel('User name').fill('bad-role');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${t.url}/**`);
    expect(await page.getByRole('heading', { name: 'You cannot use this service yet' }).count()).toBe(1);
    await checkPage(page, titles);
    await screenshot(page, 'oidc-refused');
    await page.goto(`${t.url}/sign-in/callback?code=x&state=y`);
    expect(await page.getByRole('heading', { name: 'You have not been signed in' }).count()).toBe(1);
    await checkPage(page, titles);
    await screenshot(page, 'oidc-failed');
    await context.close();
  }, 180_000);
});
