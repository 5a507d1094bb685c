import { expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { webJourneys } from '../support/web-app.js';
import { checkPage, describeInBrowser, newContext, screenshot, signInAs } from '../support/browser.js';

/**
 * The download links on the pages that show lists: each downloads the list the page shows, with its filters, as
 * the person signed in; and the open data page, for anyone.
 */
describeInBrowser('downloads in Chromium', () => {
  const web = webJourneys();

  it('downloads a pilot’s filtered actions, and their spend, from the dashboard', async () => {
    const context = await newContext(web.browser, false);
    const page = await context.newPage();
    await signInAs(
      page,
      web.url,
      'Blackburn with Darwen officer (demo)',
      '/areas/E06000008?status=COMPLETED',
    );
    await checkPage(page);
    const link = page.getByRole('link', { name: /^CSV file of these actions$/ });
    expect(await link.getAttribute('href')).toBe('/exports/actions.csv?area=E06000008&status=COMPLETED');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^actions-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parse(await readAll(await download.createReadStream()), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => `${r['Area code']} ${r.Status}`))).toEqual(
      new Set(['E06000008 COMPLETED']),
    );
    const xlsx = page.getByRole('link', {
      name: /^XLSX \(Excel\) file of the spend by action and quarter$/,
    });
    const [spend] = await Promise.all([page.waitForEvent('download'), xlsx.click()]);
    expect(spend.suggestedFilename()).toMatch(/^spend-.*\.xlsx$/);
    expect((await readAll(await spend.createReadStream())).subarray(0, 2).toString()).toBe('PK'); // a zip: XLSX
    await screenshot(page, 'exports-dashboard');
    await context.close();
  }, 420_000);

  it('lists the open data for anyone, with its licence, and downloads the grants', async () => {
    const context = await newContext(web.browser, true);
    const page = await context.newPage();
    await page.goto(`${web.url}/open-data`);
    await checkPage(page);
    await expect(
      page.locator('main').getByRole('link', { name: 'Open Government Licence v3.0' }).count(),
    ).resolves.toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV of the grants' }).click(),
    ]);
    const rows = parse(await readAll(await download.createReadStream()), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => r['Recipient Org:Identifier'])).toContain('GB-LAE-BBD');
    await screenshot(page, 'open-data');
    await context.close();
  }, 420_000);
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
