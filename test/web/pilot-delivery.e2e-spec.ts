import { beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { allocateGrant } from '../support/graphql.js';
import { webJourneys } from '../support/web-app.js';
import { JAVASCRIPT_MODES, checkPage, describeInBrowser, screenshot, signInAs } from '../support/browser.js';

const BLACKBURN = 'E06000008';
/** The demo's returns lock every quarter of 2019-20 and 2020-21; 2021-22 is allocated here and open. */
const OPEN_YEAR = '2021-22';
const OPEN_QUARTER = '2021-22 Q1';

/** A figure in pounds as shown ("£1,234.50") as pence. */
function pence(text: string | null): number {
  const cleaned = (text ?? '').replace(/[£,\s]/g, '');
  expect(cleaned).toMatch(/^-?\d+(\.\d{2})?$/);
  return Math.round(Number(cleaned) * 100);
}

/** The Spent figure of a year in the dashboard's "Funding by financial year" table. */
async function spentIn(page: Page, year: string): Promise<number> {
  const row = page
    .locator('#funding-by-year tbody tr')
    .filter({ has: page.locator('th', { hasText: year }) });
  return pence(await row.locator('td').nth(2).textContent());
}

async function quarterSpend(page: Page, quarter: string): Promise<number> {
  const row = page
    .locator('#spend-per-quarter tbody tr')
    .filter({ has: page.locator('th', { hasText: quarter }) });
  return pence(await row.locator('td').first().textContent());
}

/** The heading of the page's success banner. */
async function banner(page: Page): Promise<string | null> {
  return page.locator('.govuk-notification-banner__heading').textContent();
}

/** The pilot officer's own area: the dashboard, an action planned, started, funded and its spend reported. */
describeInBrowser('a pilot officer delivers their action plan, in Chromium', () => {
  const web = webJourneys();
  beforeAll(async () => {
    await allocateGrant(web.t, BLACKBURN, OPEN_YEAR);
  }, 240_000);

  for (const mode of JAVASCRIPT_MODES) {
    it(`Blackburn with Darwen's officer plans an action, starts it and reports its spend, ${mode.label}`, async () => {
      const title = `Conversation cafés ${mode.javaScript ? 'with' : 'without'} JavaScript`;
      const shoot = async (name: string) => {
        if (mode.javaScript) await screenshot(page, name);
      };
      const { context, page } = await web.open(mode.javaScript);
      const titles = new Map<string, string>();

      // Signed in, the officer lands on their area's dashboard.
      await signInAs(page, web.url, 'Blackburn with Darwen officer (demo)');
      expect(new URL(page.url()).pathname).toBe(`/areas/${BLACKBURN}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Blackburn with Darwen');
      expect(await page.getByRole('link', { name: 'Youth Ambassadors' }).count()).toBe(1);
      expect(await page.locator('.app-chart svg').count()).toBe(1);
      expect(await page.getByRole('link', { name: 'Quarterly returns' }).count()).toBeGreaterThan(0);
      await checkPage(page, titles);
      await shoot('area-dashboard');
      const spentBefore = await spentIn(page, OPEN_YEAR);
      const quarterBefore = await quarterSpend(page, OPEN_QUARTER);

      // Filtering the actions (a GET form) narrows the table.
      await page.getByLabel('Status').selectOption('COMPLETED');
      await page.getByRole('button', { name: 'Filter actions' }).click();
      expect(new URL(page.url()).searchParams.get('status')).toBe('COMPLETED');
      expect(await page.getByRole('link', { name: 'Youth Ambassadors' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Workforce Ambassadors' }).count()).toBe(1);
      await checkPage(page, titles);
      await shoot('area-dashboard-filtered');
      await page.getByRole('link', { name: 'Clear filters' }).click();

      // Plan an action, first without its title: the API refuses, the error summary links to the field.
      await page.getByRole('button', { name: 'Plan an action' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Plan an action');
      await checkPage(page, titles);
      await shoot('area-plan-action');
      await page
        .getByLabel('Description (optional)')
        .fill('Weekly cafés where neighbours of different backgrounds meet.');
      await page.getByLabel('Places and community').check();
      await page.getByLabel('Lead partner').selectOption({ index: 1 });
      const start = page.getByRole('group', { name: 'Planned start' });
      await start.getByLabel('Day').fill('1');
      await start.getByLabel('Month').fill('4');
      await start.getByLabel('Year').fill('2021');
      const end = page.getByRole('group', { name: 'Planned end' });
      await end.getByLabel('Day').fill('31');
      await end.getByLabel('Month').fill('3');
      await end.getByLabel('Year').fill('2022');
      await page.getByRole('button', { name: 'Plan action' }).click();
      expect(await page.getByRole('heading', { name: 'There is a problem' }).count()).toBe(1);
      const summaryLink = page.locator('.govuk-error-summary a[href="#title"]');
      expect(await summaryLink.textContent()).toMatch(/Enter a title/);
      expect(await page.title()).toMatch(/^Error: /);
      // What was typed is kept.
      expect(await page.getByLabel('Description (optional)').inputValue()).toMatch(/Weekly cafés/);
      expect(await page.getByLabel('Places and community').isChecked()).toBe(true);
      expect(await start.getByLabel('Year').inputValue()).toBe('2021');
      await checkPage(page);
      await shoot('area-plan-action-error');
      await summaryLink.click();
      if (mode.javaScript)
        expect(await page.getByLabel('Title').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(
          true,
        );
      await page.getByLabel('Title').fill(title);
      await page.getByRole('button', { name: 'Plan action' }).click();

      // The action's page: planned, with its history.
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
      expect(await banner(page)).toBe('Action planned');
      expect(await page.locator('#action-status .govuk-tag').textContent()).toMatch(/Planned/);
      await checkPage(page, titles);
      await shoot('area-action');

      // Start it.
      await page.getByRole('button', { name: 'Start action' }).click();
      await checkPage(page, titles);
      await shoot('area-start-action');
      await page.getByRole('button', { name: 'Start action' }).click();
      expect(await banner(page)).toBe('Action started');
      expect(await page.locator('#action-status .govuk-tag').textContent()).toMatch(/In progress/);
      expect(await page.getByRole('button', { name: 'Start action' }).count()).toBe(0);

      // Change the plan: add a milestone, saying why (the API refuses a change without its reason).
      await page.getByRole('link', { name: 'Change the plan' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Change the plan');
      expect(await page.getByLabel('Title').inputValue()).toBe(title);
      expect(await page.getByLabel('Places and community').isChecked()).toBe(true);
      await checkPage(page, titles);
      await shoot('area-revise-action');
      await page.getByLabel('Milestone', { exact: true }).fill('First café opens');
      const due = page.getByRole('group', { name: 'Due date' });
      await due.getByLabel('Day').fill('30');
      await due.getByLabel('Month').fill('9');
      await due.getByLabel('Year').fill('2021');
      await page.getByRole('button', { name: 'Save the changes' }).click();
      expect(await page.locator('.govuk-error-summary a[href="#reason"]').textContent()).toMatch(
        /Reason must say why the action is revised/,
      );
      expect(await page.getByLabel('Milestone', { exact: true }).inputValue()).toBe('First café opens');
      await checkPage(page);
      await shoot('area-revise-action-error');
      await page.getByLabel('Why is the plan changing?').fill('The first venue is confirmed.');
      await page.getByRole('button', { name: 'Save the changes' }).click();
      expect(await banner(page)).toBe('Plan changed');
      await shoot('area-action-revised');
      expect(await page.locator('tr', { hasText: 'First café opens' }).textContent()).toMatch(/Not yet/);

      // Record the milestone reached (today, as the date is left blank).
      await page.getByRole('link', { name: 'Record reached for First café opens' }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Record a milestone reached');
      await checkPage(page, titles);
      await shoot('area-milestone-reached');
      await page.getByLabel('Note (optional)').fill('Twenty neighbours came.');
      await page.getByRole('button', { name: 'Record milestone reached' }).click();
      expect(await banner(page)).toBe('Milestone reached');
      expect(await page.locator('tr', { hasText: 'First café opens' }).textContent()).toMatch(
        /Twenty neighbours came\./,
      );
      expect(await page.getByRole('link', { name: /^Record reached/ }).count()).toBe(0);

      // Commit funds to it: a little in 2020-21 (whose quarters are locked), more in the open year.
      for (const [year, amount] of [
        ['2020-21', '1000'],
        [OPEN_YEAR, '20000'],
      ] as const) {
        await page.getByRole('button', { name: 'Commit funds' }).click();
        if (year === OPEN_YEAR) {
          await checkPage(page, titles);
          await shoot('area-commit-funds');
        }
        expect(await page.getByLabel('Action', { exact: true }).inputValue()).toMatch(/^[0-9a-f-]{36}$/);
        await page.getByLabel(year, { exact: true }).check();
        await page.getByLabel('Amount to commit').fill(amount);
        await page.getByRole('button', { name: 'Commit funds' }).click();
        expect(await banner(page)).toBe('Funds committed');
      }

      // Report a quarter's spend: the form says which quarters are locked, and why, before anything is typed.
      await page.getByRole('button', { name: 'Report spend' }).click();
      expect(await page.getByText('8 quarters are locked').count()).toBe(1);
      expect(await page.getByRole('option', { name: '2019-20 Q1 (locked: return approved)' }).count()).toBe(
        1,
      );
      await checkPage(page, titles);
      await shoot('area-report-spend');
      // A locked quarter is refused with the API's reason, and the form says that the quarter is locked.
      await page.getByLabel('Quarter').selectOption('2020-21 Q2');
      await page.getByLabel('Amount spent').fill('10');
      await page.getByRole('button', { name: 'Report spend' }).click();
      expect(await page.locator('.govuk-error-summary').textContent()).toMatch(
        /2020-21 Q2 is locked for Blackburn with Darwen: its return is approved/,
      );
      expect(await page.locator('.govuk-warning-text').textContent()).toMatch(/2020-21 Q2 is locked/);
      expect(await page.getByLabel('Amount spent').inputValue()).toBe('10');
      await checkPage(page);
      await shoot('area-report-spend-locked');
      await page.getByLabel('Quarter').selectOption(OPEN_QUARTER);
      await page.getByLabel('Amount spent').fill('1,234.50');
      await page.getByRole('button', { name: 'Report spend' }).click();

      // The dashboard's figures change.
      expect(new URL(page.url()).pathname).toBe(`/areas/${BLACKBURN}`);
      expect(await banner(page)).toBe('Spend reported');
      expect(await spentIn(page, OPEN_YEAR)).toBe(spentBefore + 123_450);
      expect(await quarterSpend(page, OPEN_QUARTER)).toBe(quarterBefore + 123_450);
      expect(await page.getByRole('link', { name: title }).count()).toBe(1);
      await checkPage(page);
      await shoot('area-dashboard-after-spend');

      // Correct the quarter's figure from the action's page: the first figure stays visible.
      await page.getByRole('link', { name: title }).click();
      await page.getByRole('link', { name: `Correct the spend of ${OPEN_QUARTER}` }).click();
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        `Correct the spend for ${OPEN_QUARTER}`,
      );
      await checkPage(page, titles);
      await shoot('area-correct-spend');
      await page.getByLabel('Correct amount').fill('1000');
      await page.getByLabel('Why is the figure corrected?').fill('An invoice was counted twice.');
      await page.getByRole('button', { name: 'Correct spend' }).click();
      expect(await banner(page)).toBe('Spend corrected');
      const corrected = page.locator('tr').filter({ has: page.locator('th', { hasText: OPEN_QUARTER }) });
      expect(await corrected.textContent()).toMatch(/£1,000\s*corrected from £1,234\.50/);

      // Put it on hold: the reason is required, and the API says so beside the field.
      await page.getByRole('button', { name: 'Put on hold' }).click();
      await page.getByRole('button', { name: 'Put action on hold' }).click();
      expect(await page.locator('.govuk-error-summary a[href="#reason"]').textContent()).toMatch(
        /Reason must say why the action is paused/,
      );
      await checkPage(page, titles);
      await shoot('area-pause-action-error');
      await page.getByLabel('Why is the action on hold?').fill('The venue is closed for repairs.');
      await page.getByRole('button', { name: 'Put action on hold' }).click();
      expect(await banner(page)).toBe('Action put on hold');
      expect(await page.locator('#action-status .govuk-tag').textContent()).toMatch(/Paused/);
      expect(await page.getByText('The venue is closed for repairs.').count()).toBeGreaterThan(0);
      await context.close();
    }, 600_000);

    it(`Bradford's officer reads Blackburn with Darwen's dashboard but cannot reach its forms, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      await signInAs(page, web.url, 'Bradford officer (demo)', `/areas/${BLACKBURN}`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Blackburn with Darwen');
      expect(await page.getByRole('link', { name: 'Youth Ambassadors' }).count()).toBe(1);
      expect(await page.getByText('Plan an action').count()).toBe(0);
      expect(await page.getByText('Report spend').count()).toBe(0);
      expect(await page.getByText('Register a partner').count()).toBe(0);
      await checkPage(page);
      if (mode.javaScript) await screenshot(page, 'area-dashboard-other-pilot');
      for (const form of [
        'actions/new',
        'funding/spend',
        'funding/commit',
        'partners/new',
        'funding/match/new',
        'funding/allocation/allocate',
      ]) {
        const response = await page.goto(`${web.url}/areas/${BLACKBURN}/${form}`);
        expect({ form, status: response?.status() }).toEqual({ form, status: 403 });
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
          'You do not have permission to see this page',
        );
      }
      await checkPage(page);
      if (mode.javaScript) await screenshot(page, 'area-forbidden');
      // Their own area's form is theirs.
      const own = await page.goto(`${web.url}/areas/E08000032/actions/new`);
      expect(own?.status()).toBe(200);
      await context.close();
    }, 120_000);
  }
});
