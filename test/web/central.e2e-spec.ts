import { beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { mutation, ok } from '../support/graphql.js';
import { webJourneys } from '../support/web-app.js';
import { JAVASCRIPT_MODES, checkPage, describeInBrowser, screenshot, signInAs } from '../support/browser.js';

const CENTRAL = 'Central integration team (demo)';
const BLACKBURN_OFFICER = 'Blackburn with Darwen officer (demo)';
const BRADFORD = 'E08000032';
const PETERBOROUGH = 'E06000031';

/** Today's date in England as [day, month, year], and the day before. */
function englandDate(offsetDays = 0): [string, string, string] {
  const at = new Date(Date.now() + offsetDays * 86_400_000);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return [part('day'), part('month'), part('year')];
}

/** The text of one pilot's cell in the funding table ("spent", etc.). */
async function spentOf(page: Page, pilot: string): Promise<string> {
  return (
    await page
      .locator('#funding-table tbody tr', { hasText: pilot })
      .locator('td[data-figure="spent"]')
      .innerText()
  ).trim();
}

async function showFigures(page: Page, fields: { year?: string; asOf?: [string, string, string] | null }) {
  if (fields.year) await page.getByLabel('Financial year').selectOption(fields.year);
  if (fields.asOf !== undefined) {
    const [day, month, year] = fields.asOf ?? ['', '', ''];
    await page.locator('#asOf-day').fill(day);
    await page.locator('#asOf-month').fill(month);
    await page.locator('#asOf-year').fill(year);
  }
  await page.getByRole('button', { name: 'Show figures' }).click();
  await page.waitForLoadState('load');
}

/**
 * The central integration team's journey: compare the pilots, go back in time, trace a figure to its records,
 * review returns (approve one, send another back), see returns due, the areas and the activity feed. Runs with
 * JavaScript and without, on one database: each run reviews returns still waiting.
 */
describeInBrowser('the central team in Chromium', () => {
  const web = webJourneys();
  beforeAll(async () => {
    // The demo leaves one return waiting; each run approves one and sends one back, so the pilots submit more.
    // Bradford and Peterborough are funded for 2021-22 too, so a return sent back shows as due again.
    const central = web.t.as({ role: 'CENTRAL', subject: 'central-test', name: 'Central test' });
    for (const areaCode of [BRADFORD, PETERBOROUGH]) {
      ok(
        await web.t.gql(
          mutation('allocateGrant', 'AllocateGrantInput'),
          {
            input: {
              areaCode,
              year: '2021-22',
              fundingStream: 'Integration Area Programme',
              amountPence: 50_000_000,
            },
          },
          central,
        ),
      );
    }
    for (const [areaCode, quarter] of [
      [BRADFORD, '2021-22 Q1'],
      [BRADFORD, '2021-22 Q2'],
      [PETERBOROUGH, '2021-22 Q1'],
    ] as const) {
      ok(
        await web.t.gql(
          mutation('submitReturn', 'SubmitReturnInput'),
          { input: { areaCode, quarter, note: `Return for ${quarter} (test)` } },
          web.t.as({ role: 'PILOT', area: areaCode }),
        ),
      );
    }
  }, 240_000);

  for (const mode of JAVASCRIPT_MODES) {
    it(`compares the pilots, goes back in time and traces a figure to its records, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      const titles = new Map<string, string>();
      await signInAs(page, web.url, CENTRAL, '/programme');
      expect(new URL(page.url()).pathname).toBe('/programme');

      // 2019-20, the pilots side by side, with a chart whose figures are also a table.
      await showFigures(page, { year: '2019-20' });
      await checkPage(page, titles);
      expect(await page.locator('.govuk-caption-l').first().innerText()).toBe('2019-20');
      expect(await page.locator('#funding-table tbody tr').count()).toBe(5);
      const chart = page.locator('figure.app-chart svg[role="img"]');
      expect(await chart.count()).toBe(1);
      expect(await chart.getAttribute('aria-label')).toContain('2019-20');
      expect(await page.locator('figure.app-chart figcaption').innerText()).toContain('2019-20');
      expect(await page.getByText("Show the chart's data as a table").count()).toBe(1);
      const spent2019 = await spentOf(page, 'Blackburn with Darwen');
      expect(spent2019).toMatch(/^£[\d,]+/);
      // Each quarter's return status is a GOV.UK tag.
      expect(await page.locator('#returns ~ div table .govuk-tag').count()).toBe(20);
      if (mode.javaScript) {
        // The chart looks as drawn under the CSP: its text keeps Vega's font sizes (no blocked style attribute).
        const size = await page.evaluate(
          "getComputedStyle(document.querySelector('figure.app-chart svg text')).fontSize",
        );
        expect(size).toBe('14px');
        await screenshot(page, 'central-programme');
      }

      // Another year: other figures.
      await showFigures(page, { year: '2020-21' });
      expect(await page.locator('.govuk-caption-l').first().innerText()).toBe('2020-21');
      const spent2020 = await spentOf(page, 'Blackburn with Darwen');
      expect(spent2020).not.toBe(spent2019);

      // As it stood yesterday (before the demo programme was recorded): nothing yet.
      await showFigures(page, { asOf: englandDate(-1) });
      await checkPage(page, titles);
      expect(await page.locator('.govuk-caption-l').first().innerText()).toMatch(
        /^2020-21, as it stood on \d+ \w+ \d{4}$/,
      );
      // Said plainly, with when the first record is from (not a notice that the indicators are left out).
      expect(await page.locator('#before-first-record').innerText()).toMatch(
        /^Nothing had been recorded by \d+ \w+ \d{4}\. The earliest record is from \d+ \w+ \d{4}\.$/,
      );
      expect(await page.locator('.govuk-notification-banner').count()).toBe(0);
      expect(await page.locator('#funding-table').count()).toBe(0);
      if (mode.javaScript) await screenshot(page, 'central-programme-as-of');
      // As it stood today: everything recorded so far.
      await showFigures(page, { asOf: englandDate(0) });
      expect(await spentOf(page, 'Blackburn with Darwen')).toBe(spent2020);
      // A date in the future is refused, with the GOV.UK error summary linking to the field.
      await showFigures(page, { asOf: englandDate(3) });
      expect(await page.locator('.govuk-error-summary a[href="#asOf-day"]').count()).toBe(1);
      expect(await page.title()).toMatch(/^Error: /);
      await checkPage(page);

      // Back to now, 2019-20: where Blackburn with Darwen's spent figure came from.
      await showFigures(page, { year: '2019-20', asOf: null });
      await page
        .locator('#funding-table tbody tr', { hasText: 'Blackburn with Darwen' })
        .locator('td[data-figure="spent"] a')
        .click();
      await checkPage(page, titles);
      expect(await page.locator('h1').innerText()).toBe('Where the figure came from: spend reported');
      const sources = page.locator('#sources tbody tr');
      expect(await sources.count()).toBeGreaterThan(0);
      expect(await sources.first().innerText()).toContain('Blackburn with Darwen integration team');
      if (mode.javaScript) await screenshot(page, 'central-sources');
      // …and the whole history of the record it is in.
      await sources.first().getByRole('link').click();
      await checkPage(page, titles);
      expect(await page.locator('h1').innerText()).toBe('History of the record');
      expect(await page.locator('.govuk-caption-l').innerText()).toBe('Funding of Blackburn with Darwen');
      expect(await page.locator('#history tbody tr').count()).toBeGreaterThan(await sources.count());
      if (mode.javaScript) await screenshot(page, 'central-history');
      await context.close();
    }, 300_000);

    it(`approves one submitted return and sends another back, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      const titles = new Map<string, string>();
      await signInAs(page, web.url, CENTRAL, '/returns');
      await checkPage(page, titles);
      const queue = page.locator('#queue tbody tr');
      const waiting = await queue.count();
      expect(waiting).toBeGreaterThanOrEqual(2);
      if (mode.javaScript) await screenshot(page, 'central-returns');

      // The first waiting return: compared with the quarter before, then approved.
      await queue
        .first()
        .getByRole('link', { name: /^Review/ })
        .click();
      const approved = new URL(page.url()).pathname;
      await checkPage(page, titles);
      expect(await page.locator('#comparison tbody tr').first().innerText()).toContain(
        'Spend reported for the quarter',
      );
      if (mode.javaScript) await screenshot(page, 'central-return');
      await page
        .getByLabel('Comments for the pilot (optional)')
        .fill('Thank you: checked against the ledger.');
      await page.getByRole('button', { name: 'Approve return' }).click();
      expect(new URL(page.url()).pathname).toBe('/returns');
      expect(await page.locator('.govuk-notification-banner--success').innerText()).toMatch(/is approved/);
      expect(await page.locator(`#queue a[href="${approved}"]`).count()).toBe(0);
      expect(await queue.count()).toBe(waiting - 1);

      // The next: sent back, first without saying why (refused, from the error summary), then with comments.
      await queue
        .first()
        .getByRole('link', { name: /^Review/ })
        .click();
      const sentBack = new URL(page.url()).pathname;
      const [, , areaCode, slug] = sentBack.split('/');
      await page.getByRole('button', { name: 'Send back' }).click();
      expect(new URL(page.url()).pathname).toBe(sentBack);
      expect(await page.title()).toMatch(/^Error: /);
      await page.locator('.govuk-error-summary a[href="#sendBackComments"]').click();
      await checkPage(page);
      if (mode.javaScript) {
        expect(await page.evaluate('document.activeElement?.id')).toBe('sendBackComments');
        await screenshot(page, 'central-return-error');
      }
      await page
        .getByLabel('What needs changing')
        .fill('The spend looks high against the plan: please check and resubmit.');
      await page.getByRole('button', { name: 'Send back' }).click();
      expect(await page.locator('.govuk-notification-banner--success').innerText()).toMatch(/is sent back/);
      expect(await queue.count()).toBe(waiting - 2);
      // Sent back, it is due again: listed with its due date, overdue.
      const due = page.locator('#due-returns tbody tr', { hasText: slug!.replace('-Q', ' Q') }).filter({
        hasText: areaCode === BRADFORD ? 'Bradford' : 'Peterborough',
      });
      expect(await due.count()).toBe(1);
      expect(await due.innerText()).toMatch(/Overdue\s+Sent back/);
      // Bradford's later 2021-22 quarters have no return at all: overdue.
      expect(
        await page
          .locator('#due-returns tbody tr', { hasText: '2021-22 Q4' })
          .filter({ hasText: 'Bradford' })
          .innerText(),
      ).toContain('Overdue');
      await checkPage(page);
      await context.close();
    }, 300_000);

    it(`shows the areas with their allocations, and the activity feed a page at a time, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      const titles = new Map<string, string>();
      await signInAs(page, web.url, CENTRAL, '/areas');
      await checkPage(page, titles);
      expect(await page.locator('#allocations tbody tr').count()).toBe(5);
      expect(await page.locator('#allocations thead').innerText()).toContain('2019-20');
      expect(
        await page.locator('#allocations tbody tr', { hasText: 'Blackburn with Darwen' }).innerText(),
      ).toMatch(/£[\d,]+/);
      if (mode.javaScript) await screenshot(page, 'central-areas');

      await page.getByRole('link', { name: 'Activity' }).first().click();
      await checkPage(page, titles);
      const rows = page.locator('#activity tbody tr');
      expect(await rows.count()).toBe(25);
      const newest = await rows.first().innerText();
      if (mode.javaScript) await screenshot(page, 'central-activity');
      await page.getByRole('link', { name: /Older/ }).click();
      expect(await rows.count()).toBe(25);
      expect(await rows.first().innerText()).not.toBe(newest);
      await checkPage(page);
      await rows
        .first()
        .getByRole('link', { name: /^History/ })
        .click();
      expect(await page.locator('h1').innerText()).toBe('History of the record');
      expect(await page.locator('#history tbody tr').count()).toBeGreaterThan(0);
      await checkPage(page, titles);
      await context.close();
    }, 300_000);

    it(`allocates a pilot's grant, moves part of it to another year and claws some back, ${mode.label}`, async () => {
      // Each mode works on years of its own (one database for both), past ones: the demo has this year's grant.
      const [year, later] = mode.javaScript ? ['2022-23', '2023-24'] : ['2024-25', '2025-26'];
      const { context, page } = await web.open(mode.javaScript);
      const titles = new Map<string, string>();
      const allocated = async (y: string) =>
        (
          await page
            .locator('#funding-by-year tbody tr')
            .filter({ has: page.locator('th', { hasText: y }) })
            .locator('td')
            .first()
            .innerText()
        ).trim();
      await signInAs(page, web.url, CENTRAL, '/areas');
      await page.getByRole('link', { name: 'Allocate grant to Walsall' }).click();
      expect(await page.locator('h1').innerText()).toBe('Allocate grant');
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'central-allocate-grant');

      // An amount left out and a date that does not exist are the page's to say; the year and stream are kept.
      const awarded = page.getByRole('group', { name: 'Date awarded (optional)' });
      await page.getByLabel('Financial year').fill(year);
      await awarded.getByLabel('Day').fill('31');
      await awarded.getByLabel('Month').fill('2');
      await awarded.getByLabel('Year').fill(year.slice(0, 4));
      await page.getByRole('button', { name: 'Allocate grant' }).click();
      expect(await page.locator('.govuk-error-summary a[href="#amount"]').innerText()).toBe(
        'Enter the amount, in pounds',
      );
      expect(await page.locator('.govuk-error-summary a[href="#awardedOn-day"]').innerText()).toBe(
        'Date awarded must be a real date, like 27 3 2021',
      );
      expect(await page.getByLabel('Financial year').inputValue()).toBe(year);
      expect(await awarded.getByLabel('Day').inputValue()).toBe('31');
      await checkPage(page);
      await page.getByLabel('Amount').fill('100,000');
      await awarded.getByLabel('Day').fill('10');
      await awarded.getByLabel('Month').fill('4');
      await page.getByRole('button', { name: 'Allocate grant' }).click();
      expect(new URL(page.url()).pathname).toBe('/areas/E08000030');
      expect(await page.locator('.govuk-notification-banner__heading').innerText()).toBe('Grant allocated');
      expect(await allocated(year)).toBe('£100,000');
      // The date given is the grant's award date in the programme's open data.
      const published = (await (await page.request.get(`${web.url}/open-data/360giving.json`)).json()) as {
        grants: { title: string; amountAwarded: number; awardDate: string }[];
      };
      const grant = published.grants.find((g) => g.title.includes(`${year}: Walsall`));
      expect(grant).toMatchObject({ amountAwarded: 100_000, awardDate: `${year.slice(0, 4)}-04-10` });

      // Move part of it to a later year: the API asks for the reason.
      await page.getByRole('link', { name: 'Move grant to another year' }).click();
      await checkPage(page, titles);
      await page.getByLabel(year, { exact: true }).check();
      await page.getByLabel('To which financial year?').fill(later);
      await page.getByLabel('Amount').fill('25000');
      await page.getByRole('button', { name: 'Move grant' }).click();
      expect(await page.locator('.govuk-error-summary a[href="#reason"]').innerText()).toMatch(
        /^Reason must say why the allocation is reprofiled/,
      );
      expect(await page.getByLabel('Amount').inputValue()).toBe('25000');
      await checkPage(page);
      if (mode.javaScript) await screenshot(page, 'central-move-grant-error');
      await page.getByLabel('Why is the grant moved?').fill('The second cohort starts a year later.');
      await page.getByRole('button', { name: 'Move grant' }).click();
      expect(await page.locator('.govuk-notification-banner__heading').innerText()).toBe('Grant moved');
      expect(await allocated(year)).toBe('£75,000');
      expect(await allocated(later)).toBe('£25,000');

      // Claw some back.
      await page.getByRole('link', { name: 'Claw back grant' }).click();
      await checkPage(page, titles);
      await page.getByLabel(year, { exact: true }).check();
      await page.getByLabel('Amount').fill('5000');
      await page.getByLabel('Why is the grant clawed back?').fill('A partner withdrew.');
      await page.getByRole('button', { name: 'Claw back grant' }).click();
      expect(await page.locator('.govuk-notification-banner__heading').innerText()).toBe('Grant clawed back');
      expect(await allocated(year)).toBe('£70,000');
      await context.close();
    }, 300_000);

    it(`refuses a pilot officer the approvals with the GOV.UK 403 page, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      await signInAs(page, web.url, BLACKBURN_OFFICER);
      for (const path of [
        '/returns/E08000030/2020-21-Q4',
        '/returns',
        '/areas/E06000008/funding/allocation/allocate',
        '/areas/E06000008/funding/allocation/reduce',
      ]) {
        const res = await page.goto(`${web.url}${path}`);
        expect(res?.status()).toBe(403);
        expect(await page.locator('h1').innerText()).toBe('You do not have permission to see this page');
        expect(await page.getByRole('button', { name: 'Approve return' }).count()).toBe(0);
        await checkPage(page);
      }
      if (mode.javaScript) await screenshot(page, 'central-pilot-forbidden');
      await context.close();
    }, 300_000);
  }
});
