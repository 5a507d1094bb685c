import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { todayInEngland } from '../src/shared/periods.js';
import { type XmlElement, child, childrenNamed, parseXml } from '../src/learning/feed/testing/xml.js';
import { escapeHtml } from '../src/learning/feed/atom.js';
import { LearningProjection } from '../src/learning/projections/learning.projection.js';
import { type TestApp, startTestApp } from './support/test-app.js';
import { expectRebuildUnchanged } from './support/rebuild.js';
import { step } from './support/steps.js';
import * as gql from './support/graphql.js';

const BLACKBURN = 'E06000008';
const BRADFORD = 'E08000032';
const SOUTH_CAMBS = 'E07000012';
const HOSTILE_TITLE = `Tom & Jerry's <b>"bold"</b> ]]> <script>alert(1)</script> learning`;

const ITEM_FIELDS = `id areaCode type title summary body themes actionIds indicatorCodes evidenceLinks { title url }
  status publishedOn publishedAt retractedReason adoptionCount revision createdAt updatedAt
  adoptions { itemId adoptingAreaCode note adoptedOn adoptedAt }`;

interface Item {
  id: string;
  areaCode: string;
  type: string;
  title: string;
  summary: string;
  body: string;
  themes: string[];
  actionIds: string[];
  indicatorCodes: string[];
  evidenceLinks: { title: string; url: string }[];
  status: string;
  publishedOn: string | null;
  publishedAt: string | null;
  retractedReason: string | null;
  adoptionCount: number;
  revision: number;
  createdAt: string;
  updatedAt: string;
  adoptions: {
    itemId: string;
    adoptingAreaCode: string;
    note: string;
    adoptedOn: string;
    adoptedAt: string;
  }[];
}

interface Library {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: {
    id: string;
    title: string;
    rank: number | null;
    adoptionCount: number;
    adoptions: { adoptingAreaCode: string }[];
  }[];
}

const INPUTS: Record<string, string> = {
  draftLearning: 'DraftLearningInput',
  reviseLearning: 'ReviseLearningInput',
  publishLearning: 'PublishLearningInput',
  retractLearning: 'RetractLearningInput',
  adoptLearning: 'AdoptLearningInput',
};

const LIBRARY = `query($filter: LearningLibraryFilter, $first: Int, $after: String) {
  learningLibrary(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id title rank adoptionCount adoptions { adoptingAreaCode } }
  }
}`;

describe('the learning library, end to end over GraphQL and HTTP', () => {
  let t: TestApp;
  const today = todayInEngland(new Date());

  const send = (name: string, input: Record<string, unknown>) =>
    t.gql<Record<string, Item>>(gql.mutation(name, INPUTS[name], ITEM_FIELDS), { input });

  /** Runs a learning mutation that must succeed: the item it answers. */
  const ok = async (name: string, input: Record<string, unknown>) => gql.ok(await send(name, input))[name];

  /** Expects a refusal with this code (and field), and that nothing was written: its message. */
  const refused = async (name: string, input: Record<string, unknown>, code: string, field?: string) =>
    (await gql.refused(t, gql.mutation(name, INPUTS[name], ITEM_FIELDS), input, code, field)).message;

  async function library(
    filter: Record<string, unknown> | null,
    first?: number,
    after?: string,
  ): Promise<Library> {
    const res = await t.gql<{ learningLibrary: Library }>(LIBRARY, { filter, first, after });
    expect(res.errors).toBeUndefined();
    return res.data!.learningLibrary;
  }

  async function item(id: string, asOf?: string): Promise<Item | null> {
    const res = await t.gql<{ learningItem: Item | null }>(
      `query($id: ID!, $asOf: DateTime) { learningItem(id: $id, asOf: $asOf) { ${ITEM_FIELDS} } }`,
      { id, asOf },
    );
    expect(res.errors).toBeUndefined();
    return res.data!.learningItem;
  }

  async function feed(query = ''): Promise<{ status: number; type: string | null; body: string }> {
    const res = await fetch(`${t.url}/feeds/learning.atom${query}`);
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  }

  const draftInput = (overrides: Record<string, unknown> = {}) => ({
    areaCode: BLACKBURN,
    type: 'CASE_STUDY',
    title: 'Schools mixed through linking',
    summary: 'Pupils from different backgrounds met and gained confidence.',
    body: '## What we did\n\nTwelve primary schools were linked for a year.',
    themes: ['EDUCATION_AND_YOUNG_PEOPLE', 'COMMON_GROUND'],
    indicatorCodes: ['YOUNG_PEOPLE_MIXING'],
    evidenceLinks: [{ title: 'Evaluation report', url: 'https://example.org/schools-linking.pdf' }],
    ...overrides,
  });

  let actionId: string;

  function entries(root: XmlElement): XmlElement[] {
    return childrenNamed(root, 'entry');
  }

  beforeAll(async () => {
    t = await startTestApp();
    const register = 'mutation($input: RegisterAreaInput!) { registerArea(input: $input) { code } }';
    for (const input of [
      { code: BLACKBURN, name: 'Blackburn with Darwen', kind: 'PILOT', region: 'North West' },
      { code: BRADFORD, name: 'Bradford', kind: 'PILOT', region: 'Yorkshire and The Humber' },
      { code: SOUTH_CAMBS, name: 'South Cambridgeshire', kind: 'NON_PILOT', region: 'East of England' },
    ]) {
      const res = await t.gql(register, { input });
      expect(res.errors).toBeUndefined();
    }
    const partner = await t.gql<{ registerPartner: { id: string } }>(
      'mutation($i: RegisterPartnerInput!) { registerPartner(input: $i) { id } }',
      { i: { areaCode: BLACKBURN, name: 'Blackburn with Darwen Council', sector: 'COUNCIL' } },
    );
    expect(partner.errors).toBeUndefined();
    const planned = await t.gql<{ planAction: { id: string } }>(
      'mutation($i: PlanActionInput!) { planAction(input: $i) { id } }',
      {
        i: {
          areaCode: BLACKBURN,
          title: 'Schools Linking',
          themes: ['EDUCATION_AND_YOUNG_PEOPLE'],
          leadPartnerId: partner.data!.registerPartner.id,
          plannedStart: '2019-09-01',
          plannedEnd: '2020-07-31',
        },
      },
    );
    expect(planned.errors).toBeUndefined();
    actionId = planned.data!.planAction.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  // The library's story in steps: each runs once, after the step it awaits, for whichever test first needs it, so
  // any test runs alone (`-t`) on the state it had in order.

  /** The main item, as drafted: later revised, published, adopted, retracted. */
  const drafted = step(async () => {
    const draft = await ok('draftLearning', draftInput({ title: 'Schools linked', actionIds: [actionId] }));
    expect(draft).toMatchObject({
      areaCode: BLACKBURN,
      type: 'CASE_STUDY',
      title: 'Schools linked',
      status: 'DRAFT',
      actionIds: [actionId],
      indicatorCodes: ['YOUNG_PEOPLE_MIXING'],
      evidenceLinks: [{ title: 'Evaluation report', url: 'https://example.org/schools-linking.pdf' }],
      publishedOn: null,
      adoptionCount: 0,
      adoptions: [],
      revision: 0,
    });
    expect((await library(null)).nodes).toEqual([]);
    return draft;
  });
  it('drafts an item, linked to an action of its area, not yet in the library', () => drafted());

  /** The main item, published. */
  const published = step(async () => {
    const strong = await drafted();
    const revised = await ok('reviseLearning', {
      id: strong.id,
      title: 'Schools mixed through linking',
      reason: 'A clearer title',
      expectedRevision: 0,
    });
    expect(revised).toMatchObject({ title: 'Schools mixed through linking', status: 'DRAFT', revision: 1 });
    const published = await ok('publishLearning', { id: strong.id, expectedRevision: 1 });
    expect(published).toMatchObject({ status: 'PUBLISHED', publishedOn: today, revision: 2 });
    expect(published.publishedAt).not.toBeNull();
    return published;
  });
  it('revises the draft, then publishes it for every council', () => published());

  it('refuses a stale expectedRevision with CONFLICT', async () => {
    const strong = await published();
    await refused('reviseLearning', { id: strong.id, body: 'Changed', expectedRevision: 0 }, 'CONFLICT');
  });

  it('refuses to publish an item twice', async () => {
    const strong = await published();
    expect(await refused('publishLearning', { id: strong.id }, 'CONFLICT')).toContain('already published');
  });

  /** A weaker match for "mixing", published: only its body mentions it. */
  const weakPublished = step(async () => {
    await published();
    const weak = await ok(
      'draftLearning',
      draftInput({
        areaCode: BRADFORD,
        type: 'LESSON_LEARNED',
        title: 'Running community conversations',
        summary: 'What we learned from a year of conversations in Bradford.',
        body: 'Some sessions also encouraged mixing between neighbours.',
        themes: ['PLACES_AND_COMMUNITY'],
        indicatorCodes: [],
        evidenceLinks: [],
      }),
    );
    return ok('publishLearning', { id: weak.id });
  });

  it('finds published items by stemmed words, the stronger match first', async () => {
    const strong = await published();
    const weak = await weakPublished();
    const found = await library({ text: 'mixing' });
    expect(found.nodes.map((n) => n.id)).toEqual([strong.id, weak.id]);
    expect(found.totalCount).toBe(2);
    expect(found.nodes[0].rank!).toBeGreaterThan(found.nodes[1].rank!);
    // English stemming both ways: "linked" finds "linking" and "conversation" finds "conversations".
    expect((await library({ text: 'linked' })).nodes.map((n) => n.id)).toEqual([strong.id]);
    expect((await library({ text: 'conversation' })).nodes.map((n) => n.id)).toEqual([weak.id]);
    expect((await library({ text: 'mixing -bradford' })).nodes.map((n) => n.id)).toEqual([strong.id]);
    expect((await library({ text: 'zebra' })).nodes).toEqual([]);
  });

  it('lists published items newest first without text, a page at a time', async () => {
    const strong = await published();
    const weak = await weakPublished();
    const all = await library(null);
    expect(all.nodes.map((n) => n.id)).toEqual([weak.id, strong.id]);
    expect(all.nodes[0].rank).toBeNull();
    const first = await library({ text: 'mixing' }, 1);
    expect(first.nodes.map((n) => n.id)).toEqual([strong.id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await library({ text: 'mixing' }, 1, first.pageInfo.endCursor!);
    expect(second.nodes.map((n) => n.id)).toEqual([weak.id]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect(second.totalCount).toBe(2);
    const past = await library({ text: 'mixing' }, 1, second.pageInfo.endCursor!);
    expect(past.nodes).toEqual([]);
    expect(past.totalCount).toBe(2);
  });

  it('filters by theme, type, area and publication date', async () => {
    const strong = await published();
    const weak = await weakPublished();
    const ids = async (filter: Record<string, unknown>) => (await library(filter)).nodes.map((n) => n.id);
    expect(await ids({ themes: ['COMMON_GROUND'] })).toEqual([strong.id]);
    expect(await ids({ themes: ['COMMON_GROUND', 'PLACES_AND_COMMUNITY'] })).toEqual([weak.id, strong.id]);
    expect(await ids({ themes: ['LEADERSHIP'] })).toEqual([]);
    expect(await ids({ types: ['LESSON_LEARNED'] })).toEqual([weak.id]);
    expect(await ids({ types: ['CASE_STUDY', 'LESSON_LEARNED'] })).toEqual([weak.id, strong.id]);
    expect(await ids({ areaCode: BLACKBURN })).toEqual([strong.id]);
    expect(await ids({ publishedFrom: today, publishedTo: today })).toEqual([weak.id, strong.id]);
    expect(await ids({ publishedTo: '2019-03-31' })).toEqual([]);
    expect(await ids({ publishedFrom: '2099-01-01' })).toEqual([]);
    expect(await ids({ text: 'mixing', areaCode: BRADFORD, types: ['LESSON_LEARNED'] })).toEqual([weak.id]);
  });

  const adopted = step(async () => {
    await weakPublished();
    const strong = await published();
    const adopted = await ok('adoptLearning', {
      id: strong.id,
      adoptingAreaCode: SOUTH_CAMBS,
      note: 'Linking four of our village schools from January',
    });
    expect(adopted.adoptionCount).toBe(1);
    expect(adopted.adoptions).toEqual([
      {
        itemId: strong.id,
        adoptingAreaCode: SOUTH_CAMBS,
        note: 'Linking four of our village schools from January',
        adoptedOn: today,
        adoptedAt: expect.any(String),
      },
    ]);
    expect(adopted.updatedAt).toBe(strong.updatedAt);

    const again = await refused(
      'adoptLearning',
      { id: strong.id, adoptingAreaCode: SOUTH_CAMBS, note: 'Again' },
      'CONFLICT',
    );
    expect(again).toContain('already');
    await refused(
      'adoptLearning',
      { id: strong.id, adoptingAreaCode: BLACKBURN, note: 'Our own' },
      'BAD_USER_INPUT',
      'adoptingAreaCode',
    );
    await refused(
      'adoptLearning',
      { id: strong.id, adoptingAreaCode: 'E09000031', note: 'Not registered' },
      'BAD_USER_INPUT',
      'adoptingAreaCode',
    );
    // Another pilot may adopt it too.
    await ok('adoptLearning', {
      id: strong.id,
      adoptingAreaCode: BRADFORD,
      note: 'Bradford schools next term',
    });

    const listed = await library({ areaCode: BLACKBURN });
    expect(listed.nodes[0]).toMatchObject({
      adoptionCount: 2,
      adoptions: [{ adoptingAreaCode: SOUTH_CAMBS }, { adoptingAreaCode: BRADFORD }],
    });
    const counts = await t.gql<{ learningAdoptionsByPilot: { areaCode: string; adoptions: number }[] }>(
      '{ learningAdoptionsByPilot { areaCode adoptions } }',
    );
    expect(counts.data?.learningAdoptionsByPilot).toEqual([
      { areaCode: BLACKBURN, adoptions: 2 },
      { areaCode: BRADFORD, adoptions: 0 },
    ]);
  });
  it('records a council adopting a published item, once', () => adopted());

  it("lists what a council adopted, with the item, its area's name, and the areas with published learning", async () => {
    await adopted();
    const strong = await published();
    const res = await t.gql<{
      learningAdoptedBy: { itemId: string; note: string; item: { title: string; areaName: string } | null }[];
      learningAreas: { code: string; name: string; published: number }[];
      none: unknown[];
    }>(
      `query($a: String!) {
        learningAdoptedBy(areaCode: $a) { itemId note item { title areaName } }
        none: learningAdoptedBy(areaCode: "E09000031") { itemId }
        learningAreas { code name published }
      }`,
      { a: SOUTH_CAMBS },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.learningAdoptedBy).toEqual([
      {
        itemId: strong.id,
        note: 'Linking four of our village schools from January',
        item: { title: strong.title, areaName: 'Blackburn with Darwen' },
      },
    ]);
    expect(res.data!.none).toEqual([]);
    expect(res.data!.learningAreas).toEqual([
      { code: BLACKBURN, name: 'Blackburn with Darwen', published: 1 },
      { code: BRADFORD, name: 'Bradford', published: 1 },
    ]);
    const bad = await t.gql('{ learningAdoptedBy(areaCode: "nope") { itemId } }');
    expect(bad.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  /** An item that stays a draft. */
  const draftOnlyDrafted = step(async () => {
    await adopted();
    return ok('draftLearning', draftInput({ type: 'TOOLKIT', title: 'A toolkit still being written' }));
  });

  it('refuses to adopt a draft', async () => {
    const draftOnly = await draftOnlyDrafted();
    const message = await refused(
      'adoptLearning',
      { id: draftOnly.id, adoptingAreaCode: SOUTH_CAMBS, note: 'Too early' },
      'CONFLICT',
    );
    expect(message).toContain('draft');
    await refused(
      'adoptLearning',
      { id: randomUUID(), adoptingAreaCode: SOUTH_CAMBS, note: 'x' },
      'NOT_FOUND',
    );
  });

  it("lists an area's learning, optionally by status", async () => {
    const strong = await published();
    const weak = await weakPublished();
    const draftOnly = await draftOnlyDrafted();
    const res = await t.gql<{ area: { all: { id: string }[]; drafts: { id: string; status: string }[] } }>(
      `query($code: String!) { area(code: $code) {
        all: learning { id }
        drafts: learning(status: DRAFT) { id status }
      } }`,
      { code: BLACKBURN },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.area.all.map((i) => i.id).sort()).toEqual([strong.id, draftOnly.id].sort());
    expect(res.data!.area.drafts).toEqual([{ id: draftOnly.id, status: 'DRAFT' }]);
    const areas = await t.gql<{ areas: { code: string; learning: { id: string }[] }[] }>(
      '{ areas { code learning(status: PUBLISHED) { id } } }',
    );
    expect(Object.fromEntries(areas.data!.areas.map((a) => [a.code, a.learning.map((i) => i.id)]))).toEqual({
      [BLACKBURN]: [strong.id],
      [BRADFORD]: [weak.id],
      [SOUTH_CAMBS]: [],
    });
  });

  /** A published item whose title, summary, body and evidence are hostile HTML. */
  const hostilePublished = step(async () => {
    await draftOnlyDrafted();
    const hostile = await ok(
      'draftLearning',
      draftInput({
        areaCode: BRADFORD,
        type: 'GUIDANCE',
        title: HOSTILE_TITLE,
        summary: 'Keep <this> & "that" safe',
        body: 'Line <one> & "two"\nstill one\n\n<script>alert(2)</script>',
        themes: ['LEADERSHIP'],
        evidenceLinks: [{ title: '<img src=x onerror=alert(1)>', url: 'https://example.org/a?q="x"&y=<z>' }],
      }),
    );
    return ok('publishLearning', { id: hostile.id });
  });

  describe('the Atom feed', () => {
    it('is a valid Atom 1.0 document of the published items, newest first', async () => {
      const strong = await published();
      const weak = await weakPublished();
      const hostile = await hostilePublished();
      const res = await feed();
      expect(res.status).toBe(200);
      expect(res.type).toBe('application/atom+xml; charset=utf-8');
      expect(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
      const root = parseXml(res.body);
      expect(root.name).toBe('feed');
      expect(root.attributes.xmlns).toBe('http://www.w3.org/2005/Atom');
      expect(child(root, 'id').text).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(child(root, 'title').text).toBe('Integration Area Programme learning library');
      expect(Date.parse(child(root, 'updated').text)).not.toBeNaN();
      expect(child(root, 'link').attributes).toMatchObject({
        rel: 'self',
        type: 'application/atom+xml',
        href: `${t.url}/feeds/learning.atom`,
      });
      expect(entries(root).map((e) => child(e, 'id').text)).toEqual([
        `urn:uuid:${hostile.id}`,
        `urn:uuid:${weak.id}`,
        `urn:uuid:${strong.id}`,
      ]);

      const main = entries(root)[2];
      expect(child(main, 'title').text).toBe('Schools mixed through linking');
      expect(child(main, 'published').text).toBe(strong.publishedAt);
      expect(child(main, 'updated').text).toBe(strong.updatedAt);
      expect(child(main, 'summary').text).toBe(strong.summary);
      expect(child(child(main, 'author'), 'name').text).toBe('Blackburn with Darwen');
      expect(childrenNamed(main, 'category').map((c) => c.attributes)).toEqual([
        { term: 'EDUCATION_AND_YOUNG_PEOPLE', label: 'Education and young people' },
        { term: 'COMMON_GROUND', label: 'Common ground' },
      ]);
      const content = child(main, 'content');
      expect(content.attributes.type).toBe('html');
      // The summary, then the body, then the evidence.
      expect(content.text).toBe(
        `<p>${strong.summary}</p><p>## What we did</p><p>Twelve primary schools were linked for a year.</p>` +
          '<p>Evidence:</p><ul><li><a href="https://example.org/schools-linking.pdf">Evaluation report</a></li></ul>',
      );
      expect(strong.body).toBe('## What we did\n\nTwelve primary schools were linked for a year.');
    });

    it("links each entry to its item's web page, which anyone may read", async () => {
      await hostilePublished();
      const root = parseXml((await feed()).body);
      for (const entry of entries(root)) {
        const id = child(entry, 'id').text.replace('urn:uuid:', '');
        const links = childrenNamed(entry, 'link');
        expect(links.map((l) => [l.attributes.rel, l.attributes.type])).toEqual([['alternate', 'text/html']]);
        const href = links[0].attributes.href;
        expect(href).toBe(`${t.url}/learning/${id}`);
        // No session: a feed reader has none.
        const res = await fetch(href, { headers: { accept: 'text/html' } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('text/html');
        const html = await res.text();
        expect(html).toContain('<h1');
        expect(html).toContain(escapeHtml(child(entry, 'title').text));
      }
    });

    it('escapes a hostile title and summary', async () => {
      await hostilePublished();
      const { body } = await feed();
      expect(body).not.toContain('<script>');
      expect(body).not.toContain('<b>');
      expect(body).not.toContain('<this>');
      expect(body).not.toContain('<img');
      const entry = entries(parseXml(body))[0];
      const title = child(entry, 'title');
      expect(title.children).toEqual([]);
      expect(title.text).toBe(HOSTILE_TITLE);
      expect(child(entry, 'summary').text).toBe('Keep <this> & "that" safe');
      // Once decoded from XML, the content is HTML in which the hostile text is still only text.
      expect(child(entry, 'content').text).toBe(
        '<p>Keep &lt;this&gt; &amp; &quot;that&quot; safe</p>' +
          '<p>Line &lt;one&gt; &amp; &quot;two&quot;<br>still one</p><p>&lt;script&gt;alert(2)&lt;/script&gt;</p>' +
          '<p>Evidence:</p><ul><li>' +
          '<a href="https://example.org/a?q=&quot;x&quot;&amp;y=&lt;z&gt;">&lt;img src=x onerror=alert(1)&gt;</a></li></ul>',
      );
      expect(child(child(entry, 'author'), 'name').text).toBe('Bradford');
    });

    it('filters by theme', async () => {
      await hostilePublished();
      const strong = await published();
      const res = await feed('?theme=COMMON_GROUND');
      expect(res.status).toBe(200);
      const root = parseXml(res.body);
      expect(child(root, 'title').text).toBe('Integration Area Programme learning: Common ground');
      expect(child(root, 'link').attributes.href).toBe(`${t.url}/feeds/learning.atom?theme=COMMON_GROUND`);
      expect(child(root, 'id').text).not.toBe(child(parseXml((await feed()).body), 'id').text);
      expect(entries(root).map((e) => child(e, 'id').text)).toEqual([`urn:uuid:${strong.id}`]);
    });

    it('answers an unknown theme with 400 and a clear message', async () => {
      for (const query of [
        '?theme=NOT_A_THEME',
        '?theme=%3Cscript%3E',
        '?theme=COMMON_GROUND&theme=LEADERSHIP',
      ]) {
        const res = await feed(query);
        expect(res.status).toBe(400);
        const body = JSON.parse(res.body) as { message: string };
        expect(body.message).toMatch(/theme/i);
      }
      expect(JSON.parse((await feed('?theme=NOT_A_THEME')).body).message).toContain(
        'Unknown theme "NOT_A_THEME"',
      );
    });
  });

  it('answers asOf from the events recorded up to that instant', async () => {
    await hostilePublished();
    const strong = await published();
    const draftedAt = (await drafted()).updatedAt;
    const before = await item(strong.id, draftedAt);
    expect(before).toMatchObject({
      title: 'Schools linked',
      status: 'DRAFT',
      revision: 0,
      adoptionCount: 0,
      adoptions: [],
    });
    const live = await item(strong.id);
    expect(live?.title).toBe('Schools mixed through linking');
    // Now, from the events, is exactly what the read model shows.
    expect(await item(strong.id, new Date().toISOString())).toEqual(live);
    expect(await item(strong.id, '2019-01-01T00:00:00Z')).toBeNull();
    expect(await item(randomUUID())).toBeNull();
  });

  const retracted = step(async () => {
    await hostilePublished();
    const strong = await published();
    const weak = await weakPublished();
    const draftOnly = await draftOnlyDrafted();
    await refused('retractLearning', { id: strong.id, reason: '   ' }, 'BAD_USER_INPUT', 'reason');
    await refused('retractLearning', { id: draftOnly.id, reason: 'Not ready' }, 'CONFLICT');
    const retracted = await ok('retractLearning', {
      id: strong.id,
      reason: 'The evaluation figures were wrong',
    });
    expect(retracted).toMatchObject({
      status: 'RETRACTED',
      retractedReason: 'The evaluation figures were wrong',
    });

    expect((await library({ text: 'mixing' })).nodes.map((n) => n.id)).toEqual([weak.id]);
    const root = parseXml((await feed()).body);
    expect(entries(root).map((e) => child(e, 'id').text)).not.toContain(`urn:uuid:${strong.id}`);
    expect(child(root, 'updated').text).toBe(retracted.updatedAt);
    expect(entries(parseXml((await feed('?theme=COMMON_GROUND')).body))).toEqual([]);

    await refused('retractLearning', { id: strong.id, reason: 'Again' }, 'CONFLICT');
    expect(await refused('publishLearning', { id: strong.id }, 'CONFLICT')).toContain('revise');
    await refused('adoptLearning', { id: strong.id, adoptingAreaCode: 'E07000117', note: 'x' }, 'CONFLICT');

    // A revision brings it back to draft; publishing the corrected text returns it to the library.
    const corrected = await ok('reviseLearning', { id: strong.id, body: 'Corrected figures: ten schools.' });
    expect(corrected).toMatchObject({ status: 'DRAFT', retractedReason: null });
    await ok('publishLearning', { id: strong.id });
    expect((await library({ text: 'mixing' })).nodes.map((n) => n.id)).toEqual([strong.id, weak.id]);

    // The past is still answered as it was.
    expect(await item(strong.id, retracted.updatedAt)).toMatchObject({
      status: 'RETRACTED',
      adoptionCount: 2,
    });
  });
  it('retracts an item: it leaves the library and the feed, and cannot be published again without a revision', () =>
    retracted());

  const weakRevised = step(async () => {
    await retracted();
    const weak = await weakPublished();
    const revised = await ok('reviseLearning', {
      id: weak.id,
      title: 'Community conversations that mixed neighbours',
    });
    expect(revised.status).toBe('PUBLISHED');
    expect((await library({ text: 'neighbours' })).nodes[0].title).toBe(
      'Community conversations that mixed neighbours',
    );
    const entry = entries(parseXml((await feed()).body)).find(
      (e) => child(e, 'id').text === `urn:uuid:${weak.id}`,
    )!;
    expect(child(entry, 'title').text).toBe('Community conversations that mixed neighbours');
  });
  it('keeps the published text up to date when a published item is revised', () => weakRevised());

  it('applies a repeated commandId once', async () => {
    const commandId = randomUUID();
    const first = await ok('draftLearning', draftInput({ commandId, title: 'Idempotent draft' }));
    const second = await ok('draftLearning', draftInput({ commandId, title: 'Idempotent draft' }));
    expect(second.id).toBe(first.id);
    expect(second.revision).toBe(0);
  });

  it.each([
    ['a blank title', 'draftLearning', { title: '   ' }, 'title'],
    ['an over-long title', 'draftLearning', { title: 'x'.repeat(201) }, 'title'],
    ['a blank summary', 'draftLearning', { summary: '' }, 'summary'],
    ['an unknown theme', 'draftLearning', { themes: ['NOT_A_THEME'] }, 'themes'],
    ['no theme', 'draftLearning', { themes: [] }, 'themes'],
    [
      'a non-http evidence URL',
      'draftLearning',
      { evidenceLinks: [{ title: 'X', url: 'javascript:alert(1)' }] },
      'evidenceLinks.0.url',
    ],
    [
      'an evidence link without a title',
      'draftLearning',
      { evidenceLinks: [{ title: '', url: 'https://e.org' }] },
      'evidenceLinks.0.title',
    ],
    ['a malformed area code', 'draftLearning', { areaCode: 'E0600000' }, 'areaCode'],
    ['an unregistered area', 'draftLearning', { areaCode: 'E09000031' }, 'areaCode'],
    ['a non-pilot area', 'draftLearning', { areaCode: SOUTH_CAMBS }, 'areaCode'],
    [
      'an unknown action',
      'draftLearning',
      { actionIds: ['9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a'] },
      'actionIds',
    ],
    ['a malformed indicator code', 'draftLearning', { indicatorCodes: ['esol'] }, 'indicatorCodes'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_label, name, overrides, field) => {
    const res = await send(name, draftInput(overrides));
    expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].extensions.field).toBe(`input.${field}`);
  });

  it('refuses malformed ids and filters with BAD_USER_INPUT naming the field', async () => {
    await weakRevised();
    const weak = await weakPublished();
    await refused('publishLearning', { id: 'not-a-uuid' }, 'BAD_USER_INPUT', 'id');
    await refused(
      'reviseLearning',
      { id: weak.id, evidenceLinks: [{ title: 'X', url: 'ftp://e.org/x' }] },
      'BAD_USER_INPUT',
      'evidenceLinks.0.url',
    );
    for (const [filter, field] of [
      [{ publishedFrom: '2019-02-30' }, 'filter.publishedFrom'],
      [{ publishedFrom: '2020-01-02', publishedTo: '2020-01-01' }, 'filter.publishedTo'],
      [{ themes: ['NOPE'] }, 'filter.themes'],
      [{ areaCode: 'Bradford' }, 'filter.areaCode'],
    ] as const) {
      const res = await t.gql(LIBRARY, { filter });
      expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].extensions.field).toBe(field);
    }
    const badCursor = await t.gql(LIBRARY, { after: 'bm9wZQ' });
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const badId = await t.gql('{ learningItem(id: "x") { id } }');
    expect(badId.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('rebuilds the read models from the events to the same rows', async () => {
    await weakRevised();
    const before = await expectRebuildUnchanged(t, [LearningProjection], async (db) => ({
      items: await db.query('SELECT *, search::text AS search FROM learning_items ORDER BY id'),
      adoptions: await db.query('SELECT * FROM learning_adoptions ORDER BY item_id, adopting_area_code'),
      counts: await db.query('SELECT * FROM learning_adoption_counts_by_pilot ORDER BY area_code'),
    }));
    expect(before.items.length).toBeGreaterThan(3);
    // The rebuilt table still searches (its generated column and GIN index came across).
    expect((await library({ text: 'mixing' })).nodes.length).toBeGreaterThan(0);
  });
});
