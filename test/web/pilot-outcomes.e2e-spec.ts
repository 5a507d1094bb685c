import { beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { allocateGrant } from '../support/graphql.js';
import { webJourneys } from '../support/web-app.js';
import {
  JAVASCRIPT_MODES,
  checkPage,
  describeInBrowser,
  journeyIn,
  screenshot,
  signInAs,
} from '../support/browser.js';

const BLACKBURN = 'E06000008';
const OFFICER = 'Blackburn with Darwen officer (demo)';

/** Text of the GOV.UK error summary's links. */
async function summaryLinks(page: Page): Promise<{ text: string; href: string }[]> {
  const links = page.locator('.govuk-error-summary a');
  const out: { text: string; href: string }[] = [];
  for (let i = 0; i < (await links.count()); i++) {
    out.push({
      text: ((await links.nth(i).textContent()) ?? '').trim(),
      href: (await links.nth(i).getAttribute('href')) ?? '',
    });
  }
  return out;
}

/**
 * The pilot officer's outcomes and quarterly return (issue 15): Blackburn with Darwen's officer records a
 * measurement (first with a percentage over 100, which the indicator refuses, fixed from the error summary),
 * submits the quarter's return through "Check your answers", sees the confirmation panel and finds the quarter
 * locked. The demo's returns run to 2020-21 Q4, all approved; 2021-22 is funded here, so its returns are due: the
 * run with JavaScript uses 2021-22 Q1, the run without it 2021-22 Q2 (one database for both).
 */
describeInBrowser('a pilot officer records outcomes and submits a quarterly return', () => {
  const web = webJourneys();
  beforeAll(async () => {
    await allocateGrant(web.t, BLACKBURN, '2021-22');
  }, 240_000);
  const titles = new Map<string, string>();

  for (const mode of JAVASCRIPT_MODES) {
    const quarter = mode.javaScript ? '2021-22 Q1' : '2021-22 Q2';
    const slug = quarter.replace(' Q', '-q');
    const { shot, seen } = journeyIn(mode, titles);

    it(`records a measurement, fixes a refused value, submits ${quarter} and finds it locked, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      await signInAs(page, web.url, OFFICER, `/areas/${BLACKBURN}/indicators`);

      // The indicators: each one's series against baseline and target, as a chart with its data as a table.
      expect(new URL(page.url()).pathname).toBe(`/areas/${BLACKBURN}/indicators`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Outcome indicators');
      const section = page.locator('#GET_ON_WELL');
      expect(await section.locator('figure svg').count()).toBe(1);
      expect(await section.locator('figcaption').textContent()).toMatch(/against the baseline/);
      const rows = await section.locator('table tbody tr').allTextContents();
      expect(rows.some((r) => /Baseline[\s\S]*72%/.test(r))).toBe(true);
      expect(rows.some((r) => /Target[\s\S]*77%/.test(r))).toBe(true);
      expect(rows.some((r) => /Residents' survey Oct 2019 to Sep 2020[\s\S]*75\.1%/.test(r))).toBe(true);
      await seen(page);
      await shot(page, 'outcomes-indicators');

      // Record a measurement: a percentage over 100 is refused by the indicator's unit.
      await page.getByRole('button', { name: 'Record a measurement' }).click();
      expect(new URL(page.url()).pathname).toBe(`/areas/${BLACKBURN}/measurements/new`);
      await seen(page);
      await page.getByLabel('Indicator').selectOption('GET_ON_WELL');
      await page.getByLabel('Period', { exact: true }).fill(quarter);
      await page.getByLabel('Value', { exact: true }).fill('140');
      await page.getByLabel('Sample size (optional)').fill('512');
      await page.getByLabel('Source', { exact: true }).fill("Residents' pulse survey");
      await page.getByLabel('Link to the evidence (optional)').fill('https://example.org/pulse-survey.pdf');
      await shot(page, 'outcomes-record-measurement');
      await page.getByRole('button', { name: 'Record measurement' }).click();

      expect(await page.title()).toMatch(/^Error: Record a measurement/);
      expect(await summaryLinks(page)).toEqual([
        { text: 'The value must be between 0 and 100 (the unit is a percentage)', href: '#value' },
      ]);
      expect(await page.locator('#value-error').textContent()).toContain('must be between 0 and 100');
      // Values kept.
      expect(await page.getByLabel('Period', { exact: true }).inputValue()).toBe(quarter);
      expect(await page.getByLabel('Value', { exact: true }).inputValue()).toBe('140');
      expect(await page.getByLabel('Indicator').inputValue()).toBe('GET_ON_WELL');
      expect(await page.getByLabel('Link to the evidence (optional)').inputValue()).toBe(
        'https://example.org/pulse-survey.pdf',
      );
      await seen(page);
      await shot(page, 'outcomes-record-measurement-error');

      // Fixed from the error summary: its link takes the person to the field.
      await page.locator('.govuk-error-summary a[href="#value"]').click();
      expect(await page.locator('#value:focus').count()).toBe(1);
      await page.getByLabel('Value', { exact: true }).fill('77.5');
      await page.getByRole('button', { name: 'Record measurement' }).click();

      expect(new URL(page.url()).pathname).toBe(`/areas/${BLACKBURN}/indicators/GET_ON_WELL`);
      expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
        'Measurement recorded',
      );
      const recorded = page.locator('table tbody tr', { hasText: quarter });
      expect(await recorded.count()).toBe(1);
      expect(await recorded.textContent()).toMatch(/77\.5%[\s\S]*512[\s\S]*Residents' pulse survey/);
      expect(await recorded.getByRole('link', { name: `Evidence for ${quarter}` }).getAttribute('href')).toBe(
        'https://example.org/pulse-survey.pdf',
      );
      await seen(page);
      await shot(page, 'outcomes-indicator');

      // The returns by quarter: the quarter's return is not started.
      await page.getByRole('link', { name: 'Quarterly returns' }).first().click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Quarterly returns 2021-22');
      const returnRow = page.locator('table tbody tr', { hasText: quarter });
      expect(await returnRow.locator('.govuk-tag').textContent()).toMatch(/Not started/);
      await seen(page);
      await shot(page, 'outcomes-returns');

      // Check your answers: what the return will say, from the figures the API holds.
      await returnRow.getByRole('link', { name: `Check and submit the ${quarter} return` }).click();
      expect(new URL(page.url()).pathname).toBe(`/areas/${BLACKBURN}/returns/${slug}/check`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Check your answers before submitting your return',
      );
      const answers = await page.locator('.govuk-summary-list__row').allTextContents();
      expect(answers.some((r) => /Spend in the quarter\s*£0/.test(r))).toBe(true);
      expect(answers.some((r) => /Measurements for periods ending in the quarter\s*1\b/.test(r))).toBe(true);
      expect(answers.some((r) => r.includes(`77.5% (${quarter})`))).toBe(true);
      expect(answers.some((r) => /Actions by status\s*\d+ [a-z ]+(, \d+ [a-z ]+)*\s*Change/.test(r))).toBe(
        true,
      );
      await seen(page);
      await shot(page, 'outcomes-check-return');
      await page.getByLabel('Note to the central team (optional)').fill('Pulse survey figures included.');
      await page.getByRole('button', { name: 'Submit return' }).click();

      // The confirmation panel.
      expect(new URL(page.url()).pathname).toBe(`/areas/${BLACKBURN}/returns/${slug}/submitted`);
      expect(await page.locator('.govuk-panel__title').textContent()).toContain('Return submitted');
      expect(await page.locator('.govuk-panel__body').textContent()).toContain(quarter);
      await seen(page);
      await shot(page, 'outcomes-return-submitted');

      // The quarter is locked: the returns page says so, and so does the measurement form for that quarter.
      await page.getByRole('link', { name: 'Go to your quarterly returns' }).click();
      const lockedRow = page.locator('table tbody tr', { hasText: quarter });
      expect(await lockedRow.locator('.govuk-tag').textContent()).toMatch(/Submitted/);
      expect(await lockedRow.textContent()).toMatch(/awaiting review[\s\S]*Locked/);
      expect(await lockedRow.getByRole('link').count()).toBe(0);
      await shot(page, 'outcomes-returns-locked');

      await page.goto(
        `${web.url}/areas/${BLACKBURN}/measurements/new?indicator=GET_ON_WELL&quarter=${encodeURIComponent(quarter)}`,
      );
      const warning = await page.locator('.govuk-warning-text').textContent();
      expect(warning).toContain(`${quarter} is locked.`);
      expect(warning).toMatch(/submitted on \d+ \w+ \d{4} and is awaiting review by the central team/);
      await seen(page);
      await shot(page, 'outcomes-record-measurement-locked');
      // A measurement sent anyway is refused, in the API's words.
      await page.getByLabel('Value', { exact: true }).fill('78');
      await page.getByLabel('Source', { exact: true }).fill("Residents' pulse survey");
      await page.getByRole('button', { name: 'Record measurement' }).click();
      await shot(page, 'outcomes-record-measurement-refused');
      const refusal = await summaryLinks(page);
      expect(refusal).toHaveLength(1);
      expect(refusal[0]!.text).toMatch(
        new RegExp(
          `^${quarter} is locked for Blackburn with Darwen: its return is submitted\\. Ask the central team`,
        ),
      );
      expect(refusal[0]!.href).toBe('#periodLabel');
      await seen(page);
      await context.close();
    }, 600_000);
  }

  for (const mode of JAVASCRIPT_MODES) {
    const quarter = mode.javaScript ? '2021-22 Q3' : '2021-22 Q4';
    const target = mode.javaScript ? '300' : '310';
    const { shot, seen } = journeyIn(mode, titles);

    it(`corrects a measurement, sets a target and a baseline, and finds an approved quarter's measurement locked, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      const indicatorPage = `/areas/${BLACKBURN}/indicators/YOUNG_PEOPLE_MIXING`;
      await signInAs(page, web.url, OFFICER, indicatorPage);
      expect(new URL(page.url()).pathname).toBe(indicatorPage);

      // A measurement of an approved quarter: its correction form says the quarter is locked, and why.
      await page.getByRole('link', { name: 'Correct 2020-21 Q4' }).click();
      const warning = await page.locator('.govuk-warning-text').textContent();
      expect(warning).toMatch(
        /2020-21 Q4 is locked\.\s*Its return was submitted on .+ and approved by the central team on /,
      );
      expect(await page.getByRole('button', { name: 'Correct measurement' }).count()).toBe(0);
      await seen(page);
      await shot(page, 'outcomes-correct-measurement-locked');

      // Record one in an open quarter, then correct it: the reason is required.
      await page.goto(
        `${web.url}/areas/${BLACKBURN}/measurements/new?indicator=YOUNG_PEOPLE_MIXING&quarter=${encodeURIComponent(quarter)}`,
      );
      expect(await page.locator('.govuk-warning-text').count()).toBe(0);
      await page.getByLabel('Value', { exact: true }).fill('120');
      await page.getByLabel('Source', { exact: true }).fill('Youth Ambassador register');
      await page.getByRole('button', { name: 'Record measurement' }).click();
      expect(new URL(page.url()).pathname).toBe(indicatorPage);

      await page.getByRole('link', { name: `Correct ${quarter}` }).click();
      await seen(page);
      expect(await page.getByLabel('Corrected value').inputValue()).toBe('120');
      await page.getByLabel('Corrected value').fill('125');
      await page.getByRole('button', { name: 'Correct measurement' }).click();
      const refused = await summaryLinks(page);
      expect(refused.map((l) => l.href)).toEqual(['#reason']);
      expect(refused[0]!.text).toMatch(/^Reason|^The reason/);
      expect(await page.getByLabel('Corrected value').inputValue()).toBe('125');
      await seen(page);
      await shot(page, 'outcomes-correct-measurement-error');
      await page.getByLabel('Why is it corrected?').fill('A late register added five young people');
      await page.getByRole('button', { name: 'Correct measurement' }).click();
      expect(new URL(page.url()).pathname).toBe(indicatorPage);
      expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
        'Measurement corrected',
      );
      const corrected = page.locator('table tbody tr', { hasText: quarter });
      expect(await corrected.textContent()).toMatch(/125[\s\S]*corrected from 120: A late register/);

      // A target dated before the baseline is refused beside the date; fixed, it is shown.
      await page.getByRole('link', { name: /^Set a target/ }).click();
      await seen(page);
      await shot(page, 'outcomes-set-target');
      await page.getByLabel('Value', { exact: true }).fill(target);
      await page.getByLabel('Day').fill('1');
      await page.getByLabel('Month').fill('1');
      await page.getByLabel('Year').fill('2019');
      await page.getByRole('button', { name: 'Set target' }).click();
      const tooEarly = await summaryLinks(page);
      expect(tooEarly).toEqual([
        { text: 'The date must be after the baseline date (31 March 2019)', href: '#date-day' },
      ]);
      await seen(page);
      await shot(page, 'outcomes-set-target-error');
      await page.getByLabel('Day').fill('31');
      await page.getByLabel('Month').fill('3');
      await page.getByLabel('Year').fill('2022');
      await page.getByRole('button', { name: 'Set target' }).click();
      expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain('Target set');
      expect(
        await page.locator('.govuk-summary-list__row', { hasText: 'Target by 31 March 2022' }).textContent(),
      ).toContain(target);

      // The baseline form shows the baseline as it is.
      await page.getByRole('link', { name: 'Change the baseline' }).click();
      expect(await page.getByLabel('Value', { exact: true }).inputValue()).toBe('80');
      expect(await page.getByLabel('Year').inputValue()).toBe('2019');
      await seen(page);
      await shot(page, 'outcomes-set-baseline');
      await page.getByLabel('Source', { exact: true }).fill('Youth service records, 2018-19 Q4 (checked)');
      // Meanwhile someone changes the area's outcomes (another target, in another tab): the baseline form sent
      // with the revision it was drawn from is refused, says why, and keeps the answers.
      const other = await context.newPage();
      await other.goto(`${web.url}${indicatorPage}/target`);
      // (a value of its own in each run: setting a target to what it already is changes nothing)
      await other.getByLabel('Value', { exact: true }).fill(mode.javaScript ? '400' : '410');
      await other.getByLabel('Day').fill('31');
      await other.getByLabel('Month').fill('3');
      await other.getByLabel('Year').fill('2023');
      await other.getByRole('button', { name: 'Set target' }).click();
      expect(await other.locator('.govuk-notification-banner--success').count()).toBe(1);
      await other.close();
      await page.getByRole('button', { name: 'Set baseline' }).click();
      expect((await summaryLinks(page))[0]?.text).toMatch(/changed this record since you opened the page/);
      expect(await page.getByLabel('Source', { exact: true }).inputValue()).toBe(
        'Youth service records, 2018-19 Q4 (checked)',
      );
      await shot(page, 'outcomes-set-baseline-conflict');
      await page.getByRole('button', { name: 'Set baseline' }).click();
      expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
        'Baseline set',
      );
      expect(
        await page.locator('.govuk-summary-list__row', { hasText: 'Baseline' }).first().textContent(),
      ).toContain('(checked)');
      await context.close();
    }, 600_000);
  }

  for (const mode of JAVASCRIPT_MODES) {
    it(`answers another area's officer with the 403 page at Blackburn's forms, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      await signInAs(page, web.url, 'Bradford officer (demo)');
      for (const path of [
        `/areas/${BLACKBURN}/measurements/new`,
        `/areas/${BLACKBURN}/indicators/GET_ON_WELL/baseline`,
        `/areas/${BLACKBURN}/returns/2021-22-q3/check`,
      ]) {
        const res = await page.goto(`${web.url}${path}`);
        expect({ path, status: res?.status() }).toEqual({ path, status: 403 });
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
          'You do not have permission to see this page',
        );
      }
      // Nor is a form offered on Blackburn's pages.
      await page.goto(`${web.url}/areas/${BLACKBURN}/indicators/GET_ON_WELL`);
      expect(
        await page.locator('main a', { hasText: /Record a measurement|Correct|Set a target|Change/ }).count(),
      ).toBe(0);
      if (mode.javaScript) {
        await checkPage(page);
        await screenshot(page, 'outcomes-indicator-other-area');
      }
      await context.close();
    }, 300_000);
  }
});
