import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, expect, it } from '@jest/globals';
import { webJourneys } from '../support/web-app.js';
import {
  JAVASCRIPT_MODES,
  checkPage,
  describeInBrowser,
  newContext,
  screenshot,
  signInAs,
} from '../support/browser.js';

const CENTRAL = 'Central integration team (demo)';
const WALSALL_OFFICER = 'Walsall officer (demo)';
const SAMPLE = path.resolve('data/comparators/illustrative-public-indicators.csv');

/**
 * The central team uploads public values, chooses a pilot's comparators and reads the pilot against them; a
 * pilot officer reads the comparison but is offered no change. With JavaScript and without, on one database.
 */
describeInBrowser('pilots against comparable councils in Chromium', () => {
  const web = webJourneys();
  let bad: string;
  beforeAll(async () => {
    bad = path.join(os.tmpdir(), `comparators-bad-${process.pid}.csv`);
    await writeFile(
      bad,
      'ons_code,indicator_code,period,value,source\nE08000030,GET_ON_WELL,2019-20,high,Survey\nE99,GET_ON_WELL,2019-20,70,Survey\n',
    );
  });

  it("shows the demo's comparison before anyone uploads or chooses anything, marked illustrative", async () => {
    const context = await newContext(web.browser, true);
    const page = await context.newPage();
    await signInAs(page, web.url, CENTRAL, '/comparators');
    await expect(page.locator('#estimate-sentence').innerText()).resolves.toMatch(
      /its 15 comparator councils' figures/,
    );
    await expect(page.getByText('These figures are illustrative').count()).resolves.toBe(1);
    await expect(page.locator('#comparators-table tbody tr').count()).resolves.toBe(15);
    await checkPage(page);
    await screenshot(page, 'comparators-demo');
    await context.close();
  }, 300_000);

  for (const { javaScript, label } of JAVASCRIPT_MODES) {
    it(`the central team uploads, chooses and compares ${label}`, async () => {
      const context = await newContext(web.browser, javaScript);
      const page = await context.newPage();
      const titles = new Map<string, string>();
      const suffix = javaScript ? 'js' : 'no-js';
      await signInAs(page, web.url, CENTRAL, '/comparators');
      await checkPage(page, titles);

      // A file with problems: each named by row and column, nothing recorded.
      await page.getByRole('link', { name: 'Upload public indicator values' }).click();
      await checkPage(page, titles);
      await page.getByLabel('Upload a file').setInputFiles(bad);
      await page.getByRole('button', { name: 'Upload file' }).click();
      await page.waitForLoadState('load');
      const summary = page.locator('.govuk-error-summary');
      await expect(summary.innerText()).resolves.toContain('Row 2, column value: "high" is not a number');
      await expect(summary.innerText()).resolves.toContain('Row 3, column ons_code');
      await checkPage(page);
      await screenshot(page, `comparators-upload-errors-${suffix}`);

      // The sample: the demo programme imported it, so uploading it again changes nothing.
      await page.getByLabel('Upload a file').setInputFiles(SAMPLE);
      await page.getByRole('button', { name: 'Upload file' }).click();
      await page.waitForLoadState('load');
      await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toMatch(
        /had already been imported/,
      );

      // Choose Walsall's comparators: first without a characteristic (refused, answers kept), then properly.
      await page.getByLabel('Pilot area').selectOption({ label: 'Walsall' });
      await page.getByLabel('Indicator').selectOption('GET_ON_WELL');
      await page.getByRole('button', { name: 'Show comparison' }).click();
      await page.waitForLoadState('load');
      await page.getByRole('link', { name: /comparators$/ }).click();
      await page.waitForLoadState('load');
      await checkPage(page, titles);
      await page.getByLabel('Nearest neighbours on characteristics').check();
      const checked = page.locator('input[name="characteristics"]:checked');
      while ((await checked.count()) > 0) await checked.first().uncheck();
      await page.getByRole('button', { name: 'Save comparators' }).click();
      await page.waitForLoadState('load');
      await expect(page.locator('.govuk-error-summary').innerText()).resolves.toContain(
        'Select at least one characteristic',
      );
      await page.getByLabel('Index of Multiple Deprivation, average score').check();
      await page.getByLabel('Residents born outside the UK (%)').check();
      await page.getByLabel('People per hectare').check();
      await page.getByLabel('Period of the characteristics').selectOption('2017-18');
      await page.getByLabel('How many councils').fill('10');
      await page
        .getByLabel('Why these comparators (optional)')
        .fill('Alike on deprivation, migration and density');
      await screenshot(page, `comparators-choose-${suffix}`);
      await page.getByRole('button', { name: 'Save comparators' }).click();
      await page.waitForLoadState('load');
      await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain(
        'Comparators chosen',
      );

      // The comparison: estimate in words, caveats, chart with its table, the comparators.
      await page.getByLabel('Indicator').selectOption('GET_ON_WELL');
      await page.getByRole('button', { name: 'Show comparison' }).click();
      await page.waitForLoadState('load');
      await expect(page.locator('h2').first().innerText()).resolves.toContain('Walsall');
      await expect(page.locator('#estimate-sentence').innerText()).resolves.toMatch(
        /^From 2017-18 to 2021-22, Walsall's figure (rose|fell) by [\d.]+; its 10 comparator councils' figures/,
      );
      await expect(page.getByText('These figures are illustrative').count()).resolves.toBe(1);
      await expect(page.locator('.app-chart svg[role="img"]').count()).resolves.toBe(1);
      await expect(page.locator('#series-table tbody tr').count()).resolves.toBe(7);
      await expect(page.locator('#comparators-table tbody tr').count()).resolves.toBe(10);
      await expect(page.locator('#comparators-table').innerText()).resolves.not.toMatch(/Bradford|Blackburn/);
      await checkPage(page);
      await screenshot(page, `comparators-compare-${suffix}`);
      await context.close();
    }, 420_000);
  }

  it('a pilot officer reads the comparison and is offered no change', async () => {
    const context = await newContext(web.browser, true);
    const page = await context.newPage();
    await signInAs(page, web.url, WALSALL_OFFICER, '/comparators?indicator=GET_ON_WELL');
    await expect(page.locator('#estimate-sentence').count()).resolves.toBe(1);
    await expect(page.getByRole('link', { name: /Upload|comparators$/ }).count()).resolves.toBe(0);
    await checkPage(page);
    const refused = await page.goto(`${web.url}/comparators/E08000030/choose`);
    expect(refused?.status()).toBe(403);
    await context.close();
  }, 300_000);
});
