import { beforeAll, expect, it } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { allocateGrant } from '../support/graphql.js';
import { webJourneys } from '../support/web-app.js';
import { JAVASCRIPT_MODES, checkPage, describeInBrowser, screenshot } from '../support/browser.js';

const BLACKBURN = 'E06000008';
const INDICATOR_PAGE = `/areas/${BLACKBURN}/indicators/GET_ON_WELL`;

/** The element that has the focus, as a locator (it works with JavaScript off too: no script runs in the page). */
const focused = (page: Page) => page.locator(':focus');

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, as a keyboard user moves through a page; fails when it
 * is not reached in `max` presses. Each element passed on the way must show that it has the focus.
 */
async function tabTo(page: Page, target: Locator, { back = false, max = 120 } = {}): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    expect(await page.locator(':focus-visible').count()).toBe(1);
    if ((await target.and(focused(page)).count()) > 0) return;
  }
  throw new Error(`Not reached by keyboard in ${max} presses: ${target.toString()}`);
}

/** Presses a key that leaves the page (a link, a form sent), and waits for the next page. */
async function pressToLeave(page: Page, key: string): Promise<void> {
  await Promise.all([page.waitForEvent('framenavigated'), page.keyboard.press(key)]);
  await page.waitForLoadState('load');
}

/** GOV.UK's focus style: a yellow outline or a yellow background with a black bar beneath (JavaScript runs). */
async function showsGovukFocus(target: Locator): Promise<boolean> {
  return target.evaluate((el) => {
    const style = el.ownerDocument.defaultView!.getComputedStyle(el);
    const yellow = (c: string) => c.replace(/\s/g, '') === 'rgb(255,221,0)';
    return (
      (yellow(style.outlineColor) && parseFloat(style.outlineWidth) >= 3) || yellow(style.backgroundColor)
    );
  });
}

/**
 * Issue 15's keyboard journey: Blackburn with Darwen's officer signs in, records a measurement (refused, fixed
 * from the error summary's link) and submits the quarter's return through "Check your answers" with the keyboard
 * alone (Tab, Shift+Tab, arrow keys, Enter and Space; text typed only into the field that has the focus). Focus
 * goes where the GOV.UK Design System says: the skip link first, the error summary on a refused form (it is
 * focused by govuk-frontend's script; without it the summary is reached by Tab), the field from the summary's link.
 */
describeInBrowser('a pilot officer with the keyboard alone', () => {
  const web = webJourneys();
  // 2021-22 funded, so its returns are due and the returns page offers them.
  beforeAll(async () => {
    await allocateGrant(web.t, BLACKBURN, '2021-22');
  }, 240_000);

  for (const mode of JAVASCRIPT_MODES) {
    const quarter = mode.javaScript ? '2021-22 Q1' : '2021-22 Q2';

    it(`signs in, records a measurement and submits the quarter's return, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      const shot = (name: string) => (mode.javaScript ? screenshot(page, name) : undefined);

      // Sign in: Tab into the people, arrow keys to the officer (an arrow key selects), Enter on the button.
      await page.goto(`${web.url}/sign-in?returnTo=${encodeURIComponent(INDICATOR_PAGE)}`);
      const officer = page.getByLabel('Blackburn with Darwen officer (demo)', { exact: true });
      await tabTo(page, page.getByRole('radio'));
      for (let i = 0; i < 20 && (await officer.and(focused(page)).count()) === 0; i++)
        await page.keyboard.press('ArrowDown');
      expect(await officer.isChecked()).toBe(true);
      await tabTo(page, page.getByRole('button', { name: 'Sign in' }));
      await pressToLeave(page, 'Enter');
      expect(new URL(page.url()).pathname).toBe(INDICATOR_PAGE);

      // The skip link is the first thing Tab reaches; it takes the person past the header to the content.
      const skip = page.getByRole('link', { name: 'Skip to main content' });
      await page.keyboard.press('Tab');
      expect(await skip.and(focused(page)).count()).toBe(1);
      if (mode.javaScript) expect(await showsGovukFocus(skip)).toBe(true);
      await page.keyboard.press('Enter');
      if (mode.javaScript) expect(await page.locator('#main-content:focus').count()).toBe(1);
      await page.keyboard.press('Tab');
      expect(await page.locator('main :focus').count()).toBe(1);
      expect(await page.locator('header :focus').count()).toBe(0);

      // Record a measurement: a percentage over 100, sent with Enter from the last field typed in.
      await tabTo(page, page.getByRole('button', { name: 'Record a measurement' }));
      await pressToLeave(page, 'Enter');
      expect(await page.getByLabel('Indicator').inputValue()).toBe('GET_ON_WELL');
      await tabTo(page, page.getByLabel('Period', { exact: true }));
      await page.keyboard.type(quarter);
      const value = page.getByLabel('Value', { exact: true });
      await tabTo(page, value);
      if (mode.javaScript) expect(await showsGovukFocus(value)).toBe(true);
      await page.keyboard.type('140');
      await tabTo(page, page.getByLabel('Source', { exact: true }));
      await page.keyboard.type('Residents’ pulse survey');
      await pressToLeave(page, 'Enter');
      expect(await page.title()).toMatch(/^Error: /);

      // Refused: the error summary has the focus (govuk-frontend), and its link takes the person to the field.
      const summaryLink = page.locator('.govuk-error-summary a[href="#value"]');
      if (mode.javaScript) {
        expect(await page.locator('.govuk-error-summary:focus').count()).toBe(1);
        await page.keyboard.press('Tab');
        expect(await summaryLink.and(focused(page)).count()).toBe(1);
      } else {
        await tabTo(page, summaryLink);
      }
      await shot('keyboard-error-summary');
      await page.keyboard.press('Enter');
      if (mode.javaScript) {
        expect(await page.locator('#value:focus').count()).toBe(1);
      } else {
        // Without the script the link moves the point Tab starts from to the field: Tab goes on from it.
        await page.keyboard.press('Tab');
        expect(await page.getByLabel('Sample size (optional)').and(focused(page)).count()).toBe(1);
        await tabTo(page, value, { back: true, max: 1 });
      }
      expect(await value.inputValue()).toBe('140');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('77.5');
      await pressToLeave(page, 'Enter');
      expect(new URL(page.url()).pathname).toBe(INDICATOR_PAGE);
      expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
        'Measurement recorded',
      );

      // The success banner has the focus (govuk-frontend), below the navigation: Shift+Tab goes back up to it.
      if (mode.javaScript)
        expect(await page.locator('.govuk-notification-banner--success:focus').count()).toBe(1);

      // The quarter's return: the returns page from the navigation, then "Check your answers".
      await tabTo(page, page.getByRole('link', { name: 'Quarterly returns' }).first(), {
        back: mode.javaScript,
      });
      await pressToLeave(page, 'Enter');
      await tabTo(page, page.getByRole('link', { name: `Check and submit the ${quarter} return` }));
      await pressToLeave(page, 'Enter');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'Check your answers before submitting your return',
      );
      await checkPage(page);
      await tabTo(page, page.getByLabel('Note to the central team (optional)'));
      await page.keyboard.type('Sent with the keyboard alone.');
      // Shift+Tab goes back through the page; the button is reached again with Tab, and pressed with Space.
      await page.keyboard.press('Shift+Tab');
      expect(await page.getByLabel('Note to the central team (optional)').and(focused(page)).count()).toBe(0);
      await tabTo(page, page.getByRole('button', { name: 'Submit return' }));
      await shot('keyboard-check-return');
      await pressToLeave(page, 'Space');
      expect(new URL(page.url()).pathname).toMatch(/\/submitted$/);
      expect(await page.locator('.govuk-panel__title').textContent()).toContain('Return submitted');
      expect(await page.locator('.govuk-panel__body').textContent()).toContain(quarter);
      await checkPage(page);
      await context.close();
    }, 600_000);
  }
});
