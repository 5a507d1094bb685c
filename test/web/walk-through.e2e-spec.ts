import { expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { financialQuarterOf, parseFinancialQuarter, todayInEngland } from '../../src/shared/periods.js';
import { webJourneys } from '../support/web-app.js';
import { JAVASCRIPT_MODES, checkPage, describeInBrowser, screenshot, signInAs } from '../support/browser.js';

const BLACKBURN = 'E06000008';
const OFFICER = 'Blackburn with Darwen officer (demo)';
const CENTRAL = 'Central integration team (demo)';
const COUNCIL = 'Leicester officer (demo)';

/** A context 320 px wide (the GOV.UK Design System's narrowest, WCAG 1.4.10 reflow), with or without JavaScript. */
async function narrow(browser: Browser, javaScript: boolean) {
  const context = await browser.newContext({
    javaScriptEnabled: javaScript,
    viewport: { width: 320, height: 800 },
  });
  return { context, page: await context.newPage() };
}

/** 31 February 2021 typed into a GOV.UK date input (a group of Day, Month and Year, or the page's only one). */
async function notARealDate(within: Pick<Page, 'getByLabel'>) {
  await within.getByLabel('Day').fill('31');
  await within.getByLabel('Month').fill('2');
  await within.getByLabel('Year').fill('2021');
}

/**
 * What a walk through the service as its three groups of users found (each fixed here): pages wider than a
 * phone, a refused form with a long answer coming back empty, a pilot with no way to its activity feed, a demo
 * pilot with no open quarter to report spend in, and a case study that did not tell a visiting council
 * officer how to record that their council adopts it.
 */
describeInBrowser('the service as people walk through it', () => {
  const web = webJourneys();

  for (const mode of JAVASCRIPT_MODES) {
    it(`fits every page with a table into 320 px, wide tables scrolling in their own box, ${mode.label}`, async () => {
      const people: [string, string[]][] = [
        [
          CENTRAL,
          ['/programme', '/areas', '/returns', '/activity', '/history/funding-E06000008', '/open-data'],
        ],
        [OFFICER, [`/areas/${BLACKBURN}`, `/areas/${BLACKBURN}/returns`, `/areas/${BLACKBURN}/indicators`]],
        [COUNCIL, ['/learning/adopted', '/learning']],
      ];
      for (const [person, paths] of people) {
        const { context, page } = await narrow(web.browser, mode.javaScript);
        await signInAs(page, web.url, person);
        for (const path of paths) {
          await page.goto(`${web.url}${path}`);
          expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
          // The page itself never scrolls sideways (its links' visually hidden text included).
          const width = await page.evaluate<number>('document.documentElement.scrollWidth');
          expect({ path, width }).toEqual({ path, width: 320 });
        }
        if (mode.javaScript) await screenshot(page, 'walk-320-learning');
        await context.close();
      }
    });
  }

  it('keeps long answers of a refused form, with every refusal in the error summary', async () => {
    const { context, page } = await web.open(true);
    await signInAs(page, web.url, OFFICER, `/areas/${BLACKBURN}/measurements/new`);
    await page.getByLabel('Indicator').selectOption('YOUNG_PEOPLE_MIXING');
    await page.getByLabel('Period', { exact: true }).fill('2021-22 Q2');
    await page.getByLabel('Value', { exact: true }).fill('12');
    const source = 'Programme records, '.repeat(150); // 2,850 characters: more than the cookie could carry
    const note = 'n'.repeat(4_500);
    await page.getByLabel('Source', { exact: true }).fill(source);
    await page.getByLabel('Note (optional)').fill(note);
    await page.getByRole('button', { name: 'Record measurement' }).click();

    expect(new URL(page.url()).pathname).toBe(`/areas/${BLACKBURN}/measurements/new`);
    const summary = await page.locator('.govuk-error-summary a').allTextContents();
    expect(summary.map((s) => s.trim())).toEqual([
      'Source must be 500 characters or fewer',
      'Note must be 4,000 characters or fewer',
    ]);
    expect(await page.locator('#source-error').textContent()).toContain('500 characters or fewer');
    // The answers are all there to shorten, the long ones too.
    expect(await page.getByLabel('Source', { exact: true }).inputValue()).toBe(source);
    expect(await page.getByLabel('Note (optional)').inputValue()).toBe(note);
    expect(await page.getByLabel('Value', { exact: true }).inputValue()).toBe('12');
    expect(await page.getByLabel('Indicator').inputValue()).toBe('YOUNG_PEOPLE_MIXING');
    await checkPage(page);
    await screenshot(page, 'walk-long-answers-kept');

    // Shortened, the same form records the measurement.
    await page.getByLabel('Source', { exact: true }).fill('Programme records');
    await page.getByLabel('Note (optional)').fill('');
    await page.getByRole('button', { name: 'Record measurement' }).click();
    expect(await page.locator('.govuk-notification-banner--success').textContent()).toMatch(/recorded/i);
    await context.close();
  });

  it('names every problem of a form at once, a date it cannot read with the answers missing', async () => {
    const { context, page } = await web.open(false);
    await signInAs(page, web.url, OFFICER, `/areas/${BLACKBURN}/actions/new`);
    const start = page.getByRole('group', { name: 'Planned start' });
    await notARealDate(start);
    await page.getByRole('button', { name: 'Plan action' }).click();
    const summary = async () =>
      (await page.locator('.govuk-error-summary a').allTextContents()).map((s) => s.trim());
    const links = async () =>
      page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    // The date the page cannot read, and the answers the API finds missing, in one summary and beside each field.
    expect(await summary()).toEqual(
      expect.arrayContaining([
        'The planned start date must be a real date, like 27 3 2021',
        'Enter the planned end date',
        'Enter a title',
        'Select at least one theme',
        'Choose the lead partner',
      ]),
    );
    expect(await links()).toEqual([
      '#title',
      '#themes',
      '#leadPartnerId',
      '#plannedStart-day',
      '#plannedEnd-day',
    ]);
    expect(await page.locator('#title-error').textContent()).toContain('Enter a title');
    expect(await page.locator('#plannedStart-error').textContent()).toContain('must be a real date');
    expect(await start.getByLabel('Day').inputValue()).toBe('31');
    await checkPage(page);
    await screenshot(page, 'walk-plan-action-every-problem');

    await page.goto(`${web.url}/areas/${BLACKBURN}/measurements/new`);
    // Each indicator with its unit, numbers written as the service writes them.
    expect(await page.locator('#indicator option[value="HATE_CRIMES"]').textContent()).toBe(
      'Hate crimes recorded by the police (rate per 1,000)',
    );
    await page.getByLabel('Indicator').selectOption('YOUNG_PEOPLE_MIXING');
    await page.getByLabel('Period', { exact: true }).fill('Survey wave');
    const from = page.getByRole('group', { name: 'Start date' });
    await notARealDate(from);
    await page.getByRole('button', { name: 'Record measurement' }).click();
    // In the order of the form's fields, as the error summary asks.
    expect(await links()).toEqual(['#periodStart-day', '#periodEnd-day', '#value', '#source']);
    expect(await summary()).toEqual([
      'The start date must be a real date, like 27 3 2021',
      'Enter the end date of the period',
      'Enter the value',
      'Enter the source',
    ]);
    expect(await page.locator('#source-error').textContent()).toContain('Enter the source');
    await checkPage(page);
    await screenshot(page, 'walk-measurement-every-problem');

    // Everything the API takes, and a sample size only the page refuses: the API checked it, and nothing is recorded.
    await page.getByLabel('Period', { exact: true }).fill('2021-22 Q3');
    for (const box of ['Day', 'Month', 'Year']) await from.getByLabel(box).fill('');
    await page.getByLabel('Value', { exact: true }).fill('12');
    await page.getByLabel('Sample size (optional)').fill('5.5');
    await page.getByLabel('Source', { exact: true }).fill('Checked, never recorded');
    await page.getByRole('button', { name: 'Record measurement' }).click();
    expect(await links()).toEqual(['#sampleSize']);
    await page.goto(`${web.url}/areas/${BLACKBURN}/indicators/YOUNG_PEOPLE_MIXING`);
    expect(await page.getByText('Checked, never recorded').count()).toBe(0);

    // A target with neither a value nor a date the page can read: the page's two problems, and nothing the API
    // could not place (the check sends what the page could read, in the types the API takes).
    await page.goto(`${web.url}/areas/${BLACKBURN}/indicators/YOUNG_PEOPLE_MIXING/target`);
    await page.getByLabel('Value', { exact: true }).fill('lots');
    await notARealDate(page);
    await page.getByRole('button', { name: /target/i }).click();
    expect(await links()).toEqual(['#value', '#date-day']);

    // A partner with neither a name nor a sector: both at once.
    await page.goto(`${web.url}/areas/${BLACKBURN}/partners/new`);
    await page.getByRole('button', { name: /partner/i }).click();
    expect(await links()).toEqual(['#name', '#sector']);

    // Match funding with nothing chosen or typed: the page's problems and the API's (the description) together.
    await page.goto(`${web.url}/areas/${BLACKBURN}/funding/match/new`);
    await page.getByRole('button', { name: /match funding/i }).click();
    expect(await links()).toEqual(['#partnerId', '#kind', '#amount', '#description']);
    await context.close();
  });

  it("takes a pilot officer from their area's dashboard to its activity, newest first", async () => {
    const { context, page } = await web.open(false);
    await signInAs(page, web.url, OFFICER, `/areas/${BLACKBURN}`);
    await page.locator('.app-area-links').getByRole('link', { name: 'Activity', exact: true }).click();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/activity?area=${BLACKBURN}`);
    expect(await page.title()).toMatch(/^Activity – Blackburn with Darwen – /);
    expect(await page.locator('main p').first().textContent()).toMatch(
      /What people have recorded for Blackburn with Darwen, newest first/,
    );
    const areas = await page.locator('#activity tbody tr td:nth-child(4)').allTextContents();
    expect(areas.length).toBeGreaterThan(0);
    expect(new Set(areas.map((a) => a.trim()))).toEqual(new Set(['Blackburn with Darwen']));
    await context.close();
  });

  it("offers a demo pilot this financial year's quarters for spend, the demo's own years locked", async () => {
    const { context, page } = await web.open(true);
    await signInAs(page, web.url, OFFICER, `/areas/${BLACKBURN}/funding/spend`);
    // The demo allocates each pilot a grant for the year it is loaded in; its 2019-20 and 2020-21 returns are approved.
    const quarter = financialQuarterOf(todayInEngland(new Date()));
    expect(await page.locator('#no-open-quarter').count()).toBe(0);
    const options = (await page.locator('#quarter option').allTextContents()).map((o) => o.trim());
    expect(options).toContain(quarter.name);
    expect(options.indexOf(quarter.name)).toBeLessThan(options.findIndex((o) => o.includes('locked')));
    expect(await page.locator('#quarter-hint').textContent()).toContain('Open quarters first');
    await checkPage(page);
    await screenshot(page, 'walk-open-quarter-this-year');
    await context.close();
  });

  it("lists as due on the central team's page the very returns a pilot's returns page asks for", async () => {
    const today = todayInEngland(new Date());
    const thisYear = financialQuarterOf(today).year.name;
    const { context, page } = await web.open(false);
    await signInAs(page, web.url, CENTRAL, '/returns');
    const due = (
      await page
        .locator('#due-returns tbody tr', { hasText: 'Blackburn with Darwen' })
        .locator('td:nth-child(2)')
        .allTextContents()
    ).map((q) => q.trim());
    await context.close();

    const pilot = await web.open(false);
    await signInAs(pilot.page, web.url, OFFICER, `/areas/${BLACKBURN}/returns`);
    // The years with grant only (2021-22 had none, so nothing is due for it), opening on this year's.
    expect(await pilot.page.locator('h1').textContent()).toBe(`Quarterly returns ${thisYear}`);
    const years = (await pilot.page.locator('.app-year-nav__item').allTextContents()).map((y) =>
      y.trim().slice(0, 7),
    );
    expect(years).toEqual(['2019-20', '2020-21', thisYear]);
    // Its quarters ended without a return are the ones the central team sees due.
    const rows = pilot.page.locator('tbody tr');
    const ended: string[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      const quarter = (await row.locator('th').textContent())!.trim();
      const tag = (await row.locator('.govuk-tag').textContent())!.trim();
      const details = (await row.locator('td').nth(1).textContent())!;
      if (tag === 'Not started' && parseFinancialQuarter(quarter)!.end < today) {
        ended.push(quarter);
        expect(details).toMatch(/(Overdue: it was due|Due) by \d{1,2} \w+ \d{4}/);
      }
    }
    expect(due).toEqual(ended);
    await checkPage(pilot.page);
    await screenshot(pilot.page, 'walk-returns-this-year');
    await pilot.context.close();
  });

  it('tells a visitor how their council records that it adopts a case study, and brings them back to it', async () => {
    const { context, page } = await web.open(true);
    await page.goto(`${web.url}/learning`);
    await page.locator('.app-result__title a').first().click();
    const item = new URL(page.url()).pathname;
    expect(item).toMatch(/^\/learning\/[0-9a-f-]{36}$/);
    const prompt = page.locator('#adopt-sign-in');
    expect(await prompt.textContent()).toMatch(/If you work for a council, sign in to tell the pilots/);
    await prompt.getByRole('link', { name: 'sign in' }).click();
    await page.getByLabel(COUNCIL, { exact: true }).check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe(item);
    expect(await page.getByRole('button', { name: 'We are adopting this' }).count()).toBe(1);
    expect(await page.locator('#adopt-sign-in').count()).toBe(0);
    await context.close();
  });

  it("reads a pilot's record as it stood at the end of a past day, and refuses a date that is not one", async () => {
    const { context, page } = await web.open(false);
    const record = `/history/funding-${BLACKBURN}`;
    await signInAs(page, web.url, CENTRAL, record);
    const changes = async () => (await page.locator('#history caption').textContent())?.trim();
    const now = await changes();
    expect(now).toMatch(/^\d+ changes$/);
    const show = async (day: string, month: string, year: string) => {
      await page.getByLabel('Day').fill(day);
      await page.getByLabel('Month').fill(month);
      await page.getByLabel('Year').fill(year);
      await page.getByRole('button', { name: 'Show the history' }).click();
    };
    const today = new Date(`${todayInEngland(new Date())}T12:00:00Z`);
    const before = new Date(today.getTime() - 86_400_000);
    // The demo programme is recorded on the day it is loaded: the day before, the record held nothing.
    await show(
      String(before.getUTCDate()),
      String(before.getUTCMonth() + 1),
      String(before.getUTCFullYear()),
    );
    expect(await changes()).toBe('0 changes');
    // Said plainly: nothing yet by that day, and when the record's first change was.
    const inWords = (d: Date) =>
      d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    expect((await page.locator('#as-of').textContent())?.trim()).toBe(
      `Nothing had been recorded by ${inWords(before)}. Its earliest change is from ${inWords(today)}.`,
    );
    expect(await page.title()).toMatch(/as it stood on/);
    await show(String(today.getUTCDate()), String(today.getUTCMonth() + 1), String(today.getUTCFullYear()));
    expect(await changes()).toBe(now);

    // The programme overview as it stood before the demo's first record: the same, for the programme.
    await page.goto(`${web.url}/programme?year=2019-20&asOf-day=1&asOf-month=4&asOf-year=2020`);
    expect((await page.locator('#before-first-record').textContent())?.trim()).toBe(
      `Nothing had been recorded by 1 April 2020. The earliest record is from ${inWords(today)}.`,
    );
    expect(await page.getByText('No pilot had been registered by then').count()).toBe(0);
    expect(await page.locator('.govuk-notification-banner').count()).toBe(0);
    await checkPage(page);
    await screenshot(page, 'walk-programme-before-first-record');
    await page.goto(`${web.url}${record}`);
    await show('31', '2', '2021');
    expect(await page.title()).toMatch(/^Error: /);
    const summary = page.locator('.govuk-error-summary a');
    expect(await summary.textContent()).toBe('The date must be a real date, like 27 3 2021');
    expect(await summary.getAttribute('href')).toBe('#asOf-day');
    expect(await page.getByLabel('Day').inputValue()).toBe('31');
    // Written the GOV.UK way: a part left out, and a year not in full.
    await show('31', '', '');
    expect(await summary.textContent()).toBe('The date must include a month and year');
    await show('31', '3', '21');
    expect(await summary.textContent()).toBe('The year of the date must include 4 numbers');
    await show('1', '1', String(today.getUTCFullYear() + 1));
    expect(await summary.textContent()).toBe('The date must be today or in the past');
    await context.close();
  });
});
