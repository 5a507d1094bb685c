import { describe, expect, it } from '@jest/globals';
import { DEMO_PEOPLE } from '../../src/demo/public-api.js';
import { demoApp } from '../support/web-app.js';
import { type Opened, Visitor, hidden } from '../support/visitor.js';

/**
 * The programme overview and an area dashboard are kept per person at a read-model version (Page.cachedPerPerson):
 * a kept page must never be stale, never be someone else's, and never repeat a nonce, a CSRF token or a one-off
 * message.
 */
const BLACKBURN = 'E06000008';
const DASHBOARD = `/areas/${BLACKBURN}`;
const PROGRAMME = '/programme?year=2019-20';

const personNamed = (subject: string): string => {
  const person = DEMO_PEOPLE.find((p) => p.subject === subject);
  if (!person) throw new Error(`no demo person ${subject}`);
  return person.name;
};
const CENTRAL = 'demo-central';
const PILOT = `demo-pilot-${BLACKBURN}`;
const OTHER_PILOT = 'demo-pilot-E08000032';

/** HTML with its nonce and CSRF tokens taken out: what two responses of the same kept page share. */
const withoutResponseValues = (page: Opened): string =>
  page.html.replaceAll(page.nonce, 'NONCE').replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"');

describe('pages kept per person', () => {
  const demo = demoApp();

  it('sends each response of a kept page its own nonce and CSRF token, which the server accepts', async () => {
    const pilot = await new Visitor(demo.t.url, PILOT).signIn();
    const first = await pilot.open(DASHBOARD);
    const second = await pilot.open(DASHBOARD);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(withoutResponseValues(second)).toBe(withoutResponseValues(first));
    expect(second.nonce).not.toBe(first.nonce);
    expect(second.html).toContain(`<script nonce="${second.nonce}">`);
    expect(second.csrf).toBeDefined();
    expect(second.csrf).not.toBe(first.csrf);
    expect(second.html).not.toMatch(/app-(nonce|csrf|id)-[0-9a-f]{32}/);
    // The kept page's sign-out form carries this response's token, and the server takes it.
    const signOut = await pilot.post('/sign-out', { _csrf: second.csrf! });
    expect(signOut.status).toBe(303);
    expect((await pilot.open(DASHBOARD)).status).toBe(303); // signed out: sent to sign in
  });

  it('shows a change on the next page load, and a one-off message once', async () => {
    const pilot = await new Visitor(demo.t.url, PILOT).signIn();
    const name = `Kept Pages Test Partnership ${Date.now()}`;
    expect((await pilot.open(DASHBOARD)).html).not.toContain(name);
    expect((await pilot.open(DASHBOARD)).html).not.toContain(name); // kept, then served from memory

    const form = await pilot.open(`${DASHBOARD}/partners/new`);
    const posted = await pilot.post(`${DASHBOARD}/partners/new`, {
      _csrf: form.csrf ?? '',
      commandId: hidden(form.html, 'commandId') ?? '',
      expectedRevision: hidden(form.html, 'expectedRevision') ?? '',
      name,
      sector: 'VOLUNTARY',
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`${DASHBOARD}#partners`);

    const after = await pilot.open(DASHBOARD);
    expect(after.html).toContain(name);
    expect(after.html).toContain('Partner registered');
    const again = await pilot.open(DASHBOARD);
    expect(again.html).toContain(name);
    expect(again.html).not.toContain('Partner registered');
  });

  it('never sends one person a page drawn for another', async () => {
    const pilot = await new Visitor(demo.t.url, PILOT).signIn();
    const central = await new Visitor(demo.t.url, CENTRAL).signIn();
    const otherPilot = await new Visitor(demo.t.url, OTHER_PILOT).signIn();
    for (const path of [DASHBOARD, PROGRAMME]) {
      for (const person of [pilot, pilot]) {
        const page = await person.open(path);
        expect(page.status).toBe(200);
        expect(page.html).toContain(personNamed(PILOT));
      }
      const asCentral = await central.open(path);
      expect(asCentral.status).toBe(200);
      expect(asCentral.html).toContain(personNamed(CENTRAL));
      expect(asCentral.html).not.toContain(personNamed(PILOT));
    }
    // Another area's officer reads the dashboard kept for its own officer, without the forms only they may use.
    const own = await pilot.open(DASHBOARD);
    expect(own.html).toContain('Register a partner');
    const other = await otherPilot.open(DASHBOARD);
    expect(other.status).toBe(200);
    expect(other.html).toContain(personNamed(OTHER_PILOT));
    expect(other.html).not.toContain(personNamed(PILOT));
    expect(other.html).not.toContain('Register a partner');
  });
});
