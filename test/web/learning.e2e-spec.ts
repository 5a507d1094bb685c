import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { webJourneys } from '../support/web-app.js';
import { JAVASCRIPT_MODES, checkPage, describeInBrowser, screenshot, signInAs } from '../support/browser.js';

const BLACKBURN = 'E06000008';
const WALTHAM_FOREST = 'E09000031';

/** The titles of the results on a library page. */
async function resultTitles(page: Page): Promise<string[]> {
  return (await page.locator('.app-result__title').allTextContents()).map((t) => t.trim());
}

async function resultCount(page: Page): Promise<number> {
  const heading = (await page.locator('#results-heading').textContent()) ?? '';
  const n = /(\d+) items?/.exec(heading)?.[1];
  return n === undefined ? Number.NaN : Number(n);
}

/** The library, its items, adoption by another council and a pilot's drafting, in Chromium. */
describeInBrowser('the learning library in Chromium', () => {
  const web = webJourneys();
  let draftId: string;

  beforeAll(async () => {
    const res = await web.t.gql<{ area: { learning: { id: string }[] } }>(
      'query($c: String!) { area(code: $c) { learning(status: DRAFT) { id } } }',
      { c: WALTHAM_FOREST },
      web.t.as({ role: 'CENTRAL' }),
    );
    expect(res.errors).toBeUndefined();
    draftId = res.data!.area.learning[0]!.id;
  }, 180_000);

  for (const mode of JAVASCRIPT_MODES) {
    it(`lets a visitor search, filter and page through published learning, and find the feed, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      const titles = new Map<string, string>();

      await page.goto(`${web.url}/`);
      await page.getByRole('button', { name: 'Browse the learning library' }).click();
      expect(new URL(page.url()).pathname).toBe('/learning');
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-library');

      // Every published item, newest first, five to a page; the draft is not among them.
      const total = await resultCount(page);
      expect(total).toBe(8);
      expect(await resultTitles(page)).toHaveLength(5);
      const feed = page.locator('head link[rel="alternate"][type="application/atom+xml"]');
      expect(await feed.getAttribute('href')).toBe('/feeds/learning.atom');
      const atom = await fetch(`${web.url}/feeds/learning.atom`);
      expect(atom.status).toBe(200);
      expect(await atom.text()).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
      expect(await page.getByRole('link', { name: 'Subscribe to the learning library feed' }).count()).toBe(
        1,
      );

      // The second page: the other three, and a link back.
      await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: /Next/ }).click();
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-library-page-2');
      expect(await page.title()).toMatch(/^Learning library \(page 2 of 2\)/);
      const second = await resultTitles(page);
      expect(second).toHaveLength(3);
      expect(second).not.toContain('Local networks in Chingford, Leyton, Leytonstone and Walthamstow');

      // A search, ranked: the schools evaluation is found by a stemmed word.
      await page.getByLabel('Search the library').fill('pupils');
      await page.getByRole('button', { name: 'Search' }).click();
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-library-search');
      expect((await resultTitles(page))[0]).toBe('Schools Linking in Bradford: what pupils gained');
      expect(await page.getByLabel('Search the library').inputValue()).toBe('pupils');

      // Filter by theme alone: both items on education and young people, nothing else.
      await page.getByLabel('Search the library').fill('');
      await page.getByLabel('Education and young people').check();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-library-filtered');
      expect(new URL(page.url()).searchParams.getAll('theme')).toEqual(['EDUCATION_AND_YOUNG_PEOPLE']);
      expect((await resultTitles(page)).sort()).toEqual([
        'Schools Linking in Bradford: what pupils gained',
        'Youth and Workforce Ambassadors: recruit through schools and employers, not adverts',
      ]);
      expect(await page.getByLabel('Education and young people').isChecked()).toBe(true);

      // A date that is not a real one is the visitor's to correct, from the error summary.
      await page.getByLabel('Day').first().fill('31');
      await page.getByLabel('Month').first().fill('2');
      await page.getByLabel('Year').first().fill('2020');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.locator('.govuk-error-summary a[href="#from-day"]').count()).toBe(1);
      await checkPage(page);

      // Open an item: its body rendered from Markdown, the pilot, its evidence, how many adopted it.
      await page.goto(`${web.url}/learning?theme=EDUCATION_AND_YOUNG_PEOPLE`);
      await page.getByRole('link', { name: 'Schools Linking in Bradford: what pupils gained' }).click();
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-item');
      expect(await page.locator('h1').textContent()).toBe('Schools Linking in Bradford: what pupils gained');
      expect(await page.locator('.app-markdown p.govuk-body').count()).toBeGreaterThan(0);
      expect(await page.locator('.govuk-caption-l').textContent()).toContain('Bradford');
      expect(await page.locator('.app-related').textContent()).toMatch(/Adopted by\s+1 council/);
      expect(await page.getByRole('heading', { name: 'Evidence' }).count()).toBe(1);
      expect(await page.locator('head link[rel="alternate"]').getAttribute('href')).toBe(
        '/feeds/learning.atom',
      );
      // A visitor is offered no adoption, nor any change.
      expect(await page.getByRole('button', { name: 'We are adopting this' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Change' }).count()).toBe(0);

      // A draft is not there for a visitor.
      const draft = await page.goto(`${web.url}/learning/${draftId}`);
      expect(draft?.status()).toBe(404);
      await checkPage(page);
      await context.close();
    }, 420_000);
  }

  /** Each mode adopts its own item (the two modes share the database). */
  const ADOPT: Record<string, { search: string; title: string }> = {
    'with JavaScript': {
      search: 'transport',
      title: 'Transport as a barrier: getting residents to mixing activities',
    },
    'without JavaScript': {
      search: 'volunteers',
      title: 'Community Ambassadors: keeping volunteers engaged',
    },
  };

  for (const mode of JAVASCRIPT_MODES) {
    it(`lets another council's officer find an item and record adopting it, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      const titles = new Map<string, string>();
      const { search, title } = ADOPT[mode.label]!;
      await signInAs(page, web.url, 'Leicester officer (demo)');
      expect(new URL(page.url()).pathname).toBe('/learning');

      expect(await page.getByRole('link', { name: "Draft and publish your area's learning" }).count()).toBe(
        0,
      );
      await page.getByLabel('Search the library').fill(search);
      await page.getByRole('button', { name: 'Search' }).click();
      await checkPage(page, titles);
      await page.getByRole('link', { name: title }).click();
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-item-council');
      await page.getByRole('button', { name: 'We are adopting this' }).click();
      await checkPage(page, titles);

      // No note: the API refuses, and the error summary links to the field.
      await page.getByRole('button', { name: 'Record that we are adopting this' }).click();
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.locator('.govuk-error-summary a[href="#note"]').count()).toBe(1);
      expect(await page.locator('#note-error').textContent()).toMatch(/how the council is adopting it/);
      await checkPage(page);
      if (mode.javaScript) await screenshot(page, 'learning-adopt-error');

      await page.locator('.govuk-error-summary a[href="#note"]').click();
      await page
        .getByLabel('How is your council adopting it?')
        .fill(`Leicester is trying this (${mode.label})`);
      if (mode.javaScript) await screenshot(page, 'learning-adopt');
      await page.getByRole('button', { name: 'Record that we are adopting this' }).click();

      // Adopted by your council: this item, with the note, beside what Leicester adopted before.
      expect(new URL(page.url()).pathname).toBe('/learning/adopted');
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-adopted');
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain(
        'Your council is adopting this learning',
      );
      const rows = page.locator('table tbody tr');
      expect(await rows.first().textContent()).toContain(title);
      expect(await rows.first().textContent()).toContain(`Leicester is trying this (${mode.label})`);
      expect(await page.locator('table').textContent()).toContain(
        'Welcome pack and buddying for new arrivals: a toolkit',
      );

      // The item now counts Leicester, and offers no second adoption.
      await page.getByRole('link', { name: title }).click();
      expect(await page.getByRole('heading', { name: 'Your council is adopting this' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'We are adopting this' }).count()).toBe(0);
      await context.close();
    }, 420_000);
  }

  for (const mode of JAVASCRIPT_MODES) {
    it(`lets a pilot officer draft learning and publish it to the library, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      const titles = new Map<string, string>();
      const title = `Mentoring circles for new councillors (${mode.label})`;
      await signInAs(page, web.url, 'Blackburn with Darwen officer (demo)');

      await page.goto(`${web.url}/learning`);
      await page.getByRole('link', { name: "Draft and publish your area's learning" }).click();
      expect(new URL(page.url()).pathname).toBe(`/areas/${BLACKBURN}/learning`);
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-area');
      // The area's published learning is listed (whichever table comes first: a draft another test left or not).
      expect(await page.locator('table', { hasText: 'Transport as a barrier' }).count()).toBe(1);
      await page.getByRole('button', { name: 'Draft new learning' }).click();
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-draft-new');

      // Without a type and a title: both refused, the answers kept.
      await page.getByLabel('Summary').fill('Six circles of new councillors met monthly.');
      await page.getByRole('button', { name: 'Save draft' }).click();
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.locator('.govuk-error-summary a[href="#type"]').count()).toBe(1);
      expect(await page.locator('.govuk-error-summary a[href="#title"]').count()).toBe(1);
      expect(await page.locator('.govuk-error-summary a[href="#themes"]').textContent()).toBe(
        'Select at least one theme',
      );
      expect(await page.getByLabel('Summary').inputValue()).toBe(
        'Six circles of new councillors met monthly.',
      );
      await checkPage(page);
      if (mode.javaScript) await screenshot(page, 'learning-draft-error');

      await page.getByLabel('Lesson learned').check();
      await page.getByRole('button', { name: 'Save draft' }).click();
      // The API names what is still missing, beside its field.
      expect(await page.locator('.govuk-error-summary__list a').count()).toBeGreaterThan(0);
      expect(await page.locator('.govuk-error-message').count()).toBeGreaterThan(0);
      expect(await page.getByLabel('Lesson learned').isChecked()).toBe(true);
      await page.getByLabel('Title', { exact: true }).fill(title);
      await page
        .getByLabel('What you did and learned')
        .fill('## What we did\n\nSix **circles** met monthly.\n\n<script>alert("x")</script>');
      await page.getByLabel('Strengthening leadership').check();
      await page.getByLabel('Link 1 title').fill('Circle notes');
      await page.getByLabel('Link 1 web address').fill('https://example.org/circles');
      await page.getByRole('button', { name: 'Save draft' }).click();

      // The draft's own page: a draft, the script shown as text, Publish and Change offered.
      expect(await page.locator('h1').textContent()).toBe(title);
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-draft');
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Draft saved');
      expect(await page.locator('.app-markdown script').count()).toBe(0);
      expect(await page.locator('.app-markdown').textContent()).toContain('<script>alert("x")</script>');
      expect(await page.locator('.app-markdown h2').textContent()).toBe('What we did');
      const itemUrl = page.url();
      // Back to the area's drafts, where it is listed.
      await page.getByRole('link', { name: "Your area's learning" }).click();
      expect(await page.locator('table').first().textContent()).toContain(title);

      // Not yet in the library.
      await page.goto(`${web.url}/learning?q=${encodeURIComponent('mentoring circles')}`);
      expect(await resultTitles(page)).not.toContain(title);

      // Revise it.
      await page.goto(itemUrl);
      await page.getByRole('button', { name: 'Change' }).click();
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-edit');
      await page.getByLabel('Summary').fill('Six circles of new councillors met monthly for a year.');
      await page.getByLabel('Why did you change it? (optional)').fill('Say for how long');
      await page.getByRole('button', { name: 'Save changes' }).click();
      expect(await page.locator('.govuk-body-l').textContent()).toBe(
        'Six circles of new councillors met monthly for a year.',
      );

      // Publish, checking first.
      await page.getByRole('button', { name: 'Publish' }).click();
      await checkPage(page, titles);
      if (mode.javaScript) await screenshot(page, 'learning-publish-check');
      expect(await page.locator('.govuk-summary-list').textContent()).toContain('Strengthening leadership');
      await page.getByRole('button', { name: 'Publish to every council' }).click();
      expect(await page.locator('.govuk-notification-banner').textContent()).toContain('Published');
      await checkPage(page);
      if (mode.javaScript) await screenshot(page, 'learning-published');

      // Now in the library, for anyone.
      await page.goto(`${web.url}/learning?q=${encodeURIComponent('mentoring circles')}`);
      expect(await resultTitles(page)).toContain(title);
      await context.close();
    }, 420_000);
  }

  it('shows the page drawn again, saying so, when the item changed since the form was opened', async () => {
    const { context, page } = await web.open(false);
    await signInAs(page, web.url, 'Blackburn with Darwen officer (demo)');
    await page.goto(`${web.url}/areas/${BLACKBURN}/learning`);
    await page
      .getByRole('link', { name: /Mentoring circles for new councillors \(with JavaScript\)/ })
      .click();
    await page.getByRole('button', { name: 'Change' }).click();
    // Someone else changes it meanwhile.
    const other = await context.newPage();
    await other.goto(page.url());
    await other.getByLabel('Title', { exact: true }).fill('Mentoring circles, renamed by a colleague');
    await other.getByRole('button', { name: 'Save changes' }).click();
    expect(await other.locator('h1').textContent()).toBe('Mentoring circles, renamed by a colleague');

    await page.getByLabel('Summary').fill('My change, made on a stale page.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.govuk-error-summary').textContent()).toContain(
      'Someone else changed this record since you opened the page',
    );
    // The form shows the item as it now is.
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(
      'Mentoring circles, renamed by a colleague',
    );
    await context.close();
  }, 420_000);

  for (const mode of JAVASCRIPT_MODES) {
    it(`answers another pilot's drafting addresses with the 403 page, ${mode.label}`, async () => {
      const { context, page } = await web.open(mode.javaScript);
      await signInAs(page, web.url, 'Bradford officer (demo)');
      for (const path of [`/areas/${BLACKBURN}/learning`, `/areas/${BLACKBURN}/learning/new`]) {
        const res = await page.goto(`${web.url}${path}`);
        expect(res?.status()).toBe(403);
        await checkPage(page);
      }
      if (mode.javaScript) await screenshot(page, 'learning-forbidden');
      // Nor may Bradford change Blackburn's item, or publish it.
      await page.goto(`${web.url}/learning?area=${BLACKBURN}`);
      await page.locator('.app-result__title a').first().click();
      expect(await page.getByRole('button', { name: 'Change' }).count()).toBe(0);
      const id = new URL(page.url()).pathname.split('/')[2];
      expect((await page.goto(`${web.url}/learning/${id}/edit`))?.status()).toBe(403);
      // A form posted by hand is refused the same way.
      const posted = await page.request.post(`${web.url}/areas/${BLACKBURN}/learning/new`, {
        form: { title: 'Not ours' },
        maxRedirects: 0,
      });
      expect([403]).toContain(posted.status());
      await context.close();
    }, 420_000);
  }

  describe('over HTTP', () => {
    it('sends the old feed address to the API feed', async () => {
      const res = await fetch(`${web.url}/learning/feed.atom`, { redirect: 'manual' });
      expect(res.status).toBe(301);
      expect(res.headers.get('location')).toBe('/feeds/learning.atom');
    });

    it('answers an address that is not an item with the 404 page', async () => {
      const res = await fetch(`${web.url}/learning/not-an-id`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(404);
    });
  });
});
