import { expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Locator } from 'playwright-core';
import { webJourneys } from '../support/web-app.js';
import { JAVASCRIPT_MODES, describeInBrowser, journeyIn, newContext, signInAs } from '../support/browser.js';

const BLACKBURN = 'E06000008';

/** An element's text, spaces collapsed. */
async function text(locator: Locator): Promise<string> {
  return ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}
const OFFICER = 'Blackburn with Darwen officer (demo)';

/**
 * A pilot officer's quarterly return by spreadsheet (issue 16 §1): from the area's page to the spreadsheet page,
 * downloads the template, fills it in, uploads a file with a problem (the error summary names sheet, row and
 * column; nothing changes), uploads the corrected file, checks what will change and applies it; the upload is
 * listed. With JavaScript for 2021-22 Q1, without for 2021-22 Q2 (one database for both).
 */
describeInBrowser('a pilot officer sends a quarterly return as a spreadsheet', () => {
  const web = webJourneys();
  const titles = new Map<string, string>();

  for (const mode of JAVASCRIPT_MODES) {
    const quarter = mode.javaScript ? '2021-22 Q1' : '2021-22 Q2';
    const slug = quarter.replace(' Q', '-q');
    const { shot, seen } = journeyIn(mode, titles);

    it(`downloads, fills in, fixes and uploads the ${quarter} return, ${mode.label}`, async () => {
      const context = await newContext(web.browser, mode.javaScript);
      const page = await context.newPage();
      await signInAs(page, web.url, OFFICER, `/areas/${BLACKBURN}`);
      await page.getByRole('link', { name: 'Quarterly return by spreadsheet' }).click();
      await page.getByLabel('Quarter').selectOption(slug);
      await page.getByRole('button', { name: 'Show quarter' }).click();
      expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Quarterly return by spreadsheet');
      await seen(page);
      await shot(page, 'spreadsheet-upload');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: `Download the ${quarter} template (XLSX)` }).click(),
      ]);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
      const indicator = String(wb.getWorksheet('Lists')!.getCell('B2').value);
      const measurements = wb.getWorksheet('Measurements')!;
      measurements.addRow([BLACKBURN, null, indicator, quarter, 'about 40', null, 'Programme records', null]);
      const bad = Buffer.from(await wb.xlsx.writeBuffer());
      const row = measurements.lastRow!.number;
      measurements.getCell(`E${row}`).value = 40;
      const good = Buffer.from(await wb.xlsx.writeBuffer());

      const events = await web.t.eventCount();
      await page
        .getByLabel('Upload a file')
        .setInputFiles({ name: 'return.xlsx', mimeType: 'application/octet-stream', buffer: bad });
      await page.getByRole('button', { name: 'Upload file' }).click();
      const summary = page.locator('.govuk-error-summary');
      expect(await text(summary)).toContain(`Measurements, row ${row}, column E (Value): must be a number`);
      expect(await text(page.locator('#file-error'))).toContain('must be a number');
      expect(await web.t.eventCount()).toBe(events);
      await seen(page);
      await shot(page, 'spreadsheet-problem');

      await page
        .getByLabel('Upload a file')
        .setInputFiles({ name: 'return.xlsx', mimeType: 'application/octet-stream', buffer: good });
      await page.getByRole('button', { name: 'Upload file' }).click();
      expect(await text(page.getByRole('heading', { level: 1 }))).toBe('Check what the file will change');
      expect(await text(page.locator('.app-spreadsheet-summary'))).toContain('New rows');
      expect(await text(page.getByRole('table', { name: 'Measurements' }))).toContain('New');
      expect(await web.t.eventCount()).toBe(events);
      await seen(page);
      await shot(page, 'spreadsheet-check');
      const checkAddress = page.url();

      await page.getByRole('button', { name: 'Apply these changes' }).click();
      expect(await text(page.locator('.govuk-notification-banner'))).toContain(`${quarter} return uploaded`);
      expect(await text(page.locator('.govuk-notification-banner'))).toContain(
        '1 row of return.xlsx applied',
      );
      expect(await text(page.getByRole('table'))).toContain('return.xlsx');
      expect(await web.t.eventCount()).toBe(events + 2);
      await seen(page);
      await shot(page, 'spreadsheet-applied');

      // The check page of a file already applied answers 404 with the upload page, saying why.
      expect((await page.goto(checkAddress))?.status()).toBe(404);
      expect(await text(summary)).toContain('The file you uploaded is no longer held: upload it again');
      expect(await web.t.eventCount()).toBe(events + 2);
      await context.close();
    }, 420_000);
  }
});
