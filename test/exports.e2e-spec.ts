import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import pg from 'pg';
import type { GraphQLResponse, TestApp, TokenRequest } from './support/test-app.js';
import { startDemoApp } from './support/web-app.js';

/**
 * Downloads (issue 16 §2): every list as CSV and XLSX through the API's own queries, run as the person asking, so
 * with the API's filters and access rules; and the open data (360Giving grants, learning, programme totals).
 */

const BLACKBURN = 'E06000008';
const BRADFORD = 'E08000032';
const LEICESTER = 'E06000016';
const CENTRAL: TokenRequest = { role: 'CENTRAL' };
const PILOT: TokenRequest = { role: 'PILOT', area: BLACKBURN };
const COUNCIL: TokenRequest = { role: 'COUNCIL', area: LEICESTER };

let t: TestApp;

beforeAll(async () => {
  t = await startDemoApp();
}, 600_000);

afterAll(async () => {
  await t?.close();
});

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: t.db.url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

async function download(path: string, who?: TokenRequest) {
  const res = await fetch(`${t.url}${path}`, {
    headers: who ? { authorization: `Bearer ${t.token(who)}` } : {},
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    res,
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

/** The rows of a CSV download, as objects keyed by its header. */
async function csv(path: string, who?: TokenRequest): Promise<Record<string, string>[]> {
  const d = await download(path, who);
  expect({ path, status: d.status }).toEqual({ path, status: 200 });
  expect(d.type).toBe('text/csv; charset=utf-8');
  return parse(d.bytes, { columns: true }) as Record<string, string>[];
}

/** The rows of an XLSX download's one sheet, as objects keyed by its header (cells as text). */
async function xlsx(path: string, who?: TokenRequest): Promise<Record<string, string>[]> {
  const d = await download(path, who);
  expect({ path, status: d.status }).toEqual({ path, status: 200 });
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(d.bytes as unknown as ArrayBuffer);
  const rows: string[][] = [];
  book.worksheets[0]!.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let i = 1; i <= row.cellCount; i++) {
      const v = row.getCell(i).value;
      cells.push(v === null || v === undefined ? '' : String(v as string));
    }
    rows.push(cells);
  });
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

interface Page {
  nodes: Record<string, unknown>[];
  pageInfo: { hasNextPage: boolean; endCursor: string };
}

/** Every node of a connection, through the API itself, page by page. */
async function allNodes(
  field: string,
  args: string,
  selection: string,
  who: TokenRequest,
): Promise<Record<string, unknown>[]> {
  const nodes: Record<string, unknown>[] = [];
  let after: string | null = null;
  for (;;) {
    const r: GraphQLResponse<Record<string, Page>> = await t.gql<Record<string, Page>>(
      `query($after: String) { ${field}(${args}${args ? ', ' : ''}first: 100, after: $after) { nodes { ${selection} } pageInfo { hasNextPage endCursor } } }`,
      { after },
      t.as(who),
    );
    expect(r.errors).toBeUndefined();
    const c: Page = r.data![field]!;
    nodes.push(...c.nodes);
    if (!c.pageInfo.hasNextPage) return nodes;
    after = c.pageInfo.endCursor;
  }
}

describe('downloads of the lists', () => {
  it('gives a pilot their area’s actions with the filters of the dashboard, the same rows as the API’s own list', async () => {
    const rows = await csv(`/exports/actions.csv?area=${BLACKBURN}&status=COMPLETED`, PILOT);
    const api = await allNodes(
      'actions',
      `filter: { areaCode: "${BLACKBURN}", status: "COMPLETED" }`,
      'id',
      PILOT,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r['Action id'])).toEqual(api.map((n) => n.id));
    expect(new Set(rows.map((r) => r['Area code']))).toEqual(new Set([BLACKBURN]));
    expect(new Set(rows.map((r) => r.Status))).toEqual(new Set(['COMPLETED']));
  });

  it('writes the same rows as CSV and as XLSX', async () => {
    const fromCsv = await csv(`/exports/actions.csv?area=${BRADFORD}`, CENTRAL);
    const fromXlsx = await xlsx(`/exports/actions.xlsx?area=${BRADFORD}`, CENTRAL);
    expect(fromCsv.length).toBeGreaterThan(0);
    expect(fromXlsx).toEqual(fromCsv);
    const spendCsv = await csv(`/exports/spend.csv?area=${BRADFORD}`, CENTRAL);
    const spendXlsx = await xlsx(`/exports/spend.xlsx?area=${BRADFORD}`, CENTRAL);
    expect(spendCsv.length).toBeGreaterThan(0);
    expect(spendXlsx).toEqual(spendCsv);
  });

  it('reads a list longer than one page of the API to its end (the activity feed)', async () => {
    const r = await t.gql<{ activity: { totalCount: number } }>(
      '{ activity { totalCount } }',
      {},
      t.as(CENTRAL),
    );
    expect(r.data!.activity.totalCount).toBeGreaterThan(100);
    const rows = await csv('/exports/activity.csv', CENTRAL);
    expect(rows).toHaveLength(r.data!.activity.totalCount);
    expect(new Set(rows.map((row) => row['Event id'])).size).toBe(rows.length);
  });

  it('reads larger pages than the API gives its clients, who are still refused them', async () => {
    // A download's pages hold up to 1,000 rows (fewer queries for the same rows); a client still gets at most 100.
    const refused = await t.gql('{ activity(first: 101) { totalCount } }', {}, t.as(CENTRAL));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const rows = await csv('/exports/activity.csv', CENTRAL);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.map((row) => row['Event id'])).toEqual(
      (await allNodes('activity', '', 'eventId', CENTRAL)).map((n) => n.eventId),
    );
  });

  it('gives money in pence and in pounds, exactly', async () => {
    const rows = await csv(`/exports/spend.csv?area=${BLACKBURN}`, PILOT);
    const api = await t.gql<{ area: { fundingYears: { spend: { amountPence: number }[] }[] } }>(
      `{ area(code: "${BLACKBURN}") { fundingYears { spend { amountPence } } } }`,
      {},
      t.as(PILOT),
    );
    const total = api.data!.area.fundingYears.flatMap((y) => y.spend).reduce((n, s) => n + s.amountPence, 0);
    expect(rows.reduce((n, r) => n + Number(r['Spend (pence)']), 0)).toBe(total);
    for (const r of rows) expect(Math.round(Number(r['Spend (£)']) * 100)).toBe(Number(r['Spend (pence)']));
  });

  it('answers a filter the API refuses with its error, naming the field', async () => {
    const d = await download('/exports/actions.csv?status=FINISHED', CENTRAL);
    expect(d.status).toBe(400);
    const body = JSON.parse(d.bytes.toString()) as {
      errors: { extensions: { code: string; field?: string } }[];
    };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.status' });
    expect((await download('/exports/actions.pdf', CENTRAL)).status).toBe(404);
    expect((await download('/exports/secrets.csv', CENTRAL)).status).toBe(404);
  });

  it.each([
    ['actions', ''],
    ['spend', `?area=${BLACKBURN}`],
    ['measurements', `?area=${BLACKBURN}`],
    ['returns', `?area=${BLACKBURN}`],
    ['activity', ''],
  ])('keeps the %s of the pilots from other councils and from visitors', async (list, query) => {
    for (const format of ['csv', 'xlsx']) {
      const path = `/exports/${list}.${format}${query}`;
      expect({ path, status: (await download(path, COUNCIL)).status }).toEqual({ path, status: 403 });
      expect({ path, status: (await download(path)).status }).toEqual({ path, status: 401 });
      expect({ path, status: (await download(path, PILOT)).status }).toEqual({ path, status: 200 });
    }
  });

  it('gives the comparison to signed-in councils only', async () => {
    const rows = await csv('/exports/comparison.csv?year=2019-20', COUNCIL);
    expect(rows).toHaveLength(5);
    expect((await download('/exports/comparison.csv?year=2019-20')).status).toBe(401);
  });

  it('gives anyone the published learning only, with the library’s filters', async () => {
    const visitor = await csv('/exports/learning.csv');
    const pilot = await csv('/exports/learning.csv', { role: 'PILOT', area: BRADFORD });
    expect(visitor.length).toBeGreaterThan(0);
    expect(pilot).toEqual(visitor);
    expect(visitor.every((r) => r['Published on'] !== '')).toBe(true);
    // Blackburn's drafts are not in it, even for another pilot asking for Blackburn's learning.
    const drafts = await sql<{ id: string }>(
      `SELECT id FROM learning_items WHERE area_code = $1 AND status <> 'PUBLISHED'`,
      [BLACKBURN],
    );
    const blackburn = await csv(`/exports/learning.csv?area=${BLACKBURN}`, { role: 'PILOT', area: BRADFORD });
    expect(new Set(blackburn.map((r) => r['Area code']))).toEqual(new Set([BLACKBURN]));
    for (const d of drafts) expect(blackburn.map((r) => r['Item id'])).not.toContain(d.id);
  });
});

describe('open data', () => {
  it('publishes the grants in the 360Giving Data Standard, valid against its schema', async () => {
    const d = await download('/open-data/360giving.json');
    expect(d.status).toBe(200);
    expect(d.res.headers.get('link')).toContain('open-government-licence/version/3');
    const data = JSON.parse(d.bytes.toString()) as {
      grants: {
        id: string;
        amountAwarded: number;
        awardDate: string;
        currency: string;
        recipientOrganization: { id: string; name: string }[];
        fundingOrganization: { id: string }[];
        plannedDates: { startDate: string; endDate: string }[];
      }[];
    };
    const dir = new URL('../docs/open-data/360giving/', import.meta.url);
    const grantSchema = JSON.parse(readFileSync(new URL('360-giving-schema.json', dir), 'utf8')) as Record<
      string,
      unknown
    >;
    const packageSchema = JSON.parse(
      readFileSync(new URL('360-giving-package-schema.json', dir), 'utf8'),
    ) as Record<string, unknown>;
    // The schemas name the 2020-12 meta-schema by its http:// address, which Ajv knows by https://: they are
    // draft 2020-12 (Ajv2020) all the same. The package schema (1.4.3) refers to the grant schema by its 1.4.2 address.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajvFormats.default(ajv);
    const { $schema: _grantMeta, ...grant } = grantSchema;
    const { $schema: _packageMeta, ...packageOnly } = packageSchema;
    ajv.addSchema({
      ...grant,
      $id: 'https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json',
    });
    const validate = ajv.compile(packageOnly);
    expect(validate(data) ? [] : validate.errors).toEqual([]);
    // Something invalid is caught: the check can fail.
    expect(validate({ grants: [{ ...data.grants[0], amountAwarded: '1,000' }] })).toBe(false);

    const byRecipient = new Map(
      data.grants.map((g) => [g.recipientOrganization[0]!.name, g.recipientOrganization[0]!.id]),
    );
    expect(Object.fromEntries(byRecipient)).toEqual({
      'Blackburn with Darwen': 'GB-LAE-BBD',
      Bradford: 'GB-LAE-BRD',
      Peterborough: 'GB-LAE-PTE',
      Walsall: 'GB-LAE-WLL',
      'Waltham Forest': 'GB-LAE-WFT',
    });
    for (const g of data.grants) {
      expect(g.id).toMatch(/^360G-iap-illustrative-E\d{8}-\d{4}-\d{2}-/);
      expect(g.currency).toBe('GBP');
      // The department, by its key in the Government Organisation Register (org-id.guide GB-GOR).
      expect(g.fundingOrganization[0]!.id).toBe('GB-GOR-D4');
    }
    expect(new Set(data.grants.map((g) => g.id)).size).toBe(data.grants.length);

    // Amounts: the allocations as the API gives them (pounds, exactly).
    const years = await t.gql<{
      areas: {
        code: string;
        fundingYears: { year: string; byStream: { fundingStream: string; allocatedPence: number }[] }[];
      }[];
    }>(
      '{ areas { code fundingYears { year byStream { fundingStream allocatedPence } } } }',
      {},
      t.as(CENTRAL),
    );
    const allocated = years.data!.areas.flatMap((a) =>
      a.fundingYears.flatMap((y) => y.byStream.filter((s) => s.allocatedPence > 0)),
    );
    expect(data.grants).toHaveLength(allocated.length);
    const totalPence = allocated.reduce((n, s) => n + s.allocatedPence, 0);
    expect(Math.round(data.grants.reduce((n, g) => n + g.amountAwarded * 100, 0))).toBe(totalPence);
    // Award dates: the earliest awardedOn of the money in each allocation, followed through reprofiling.
    const moves = await sql<{ type: string; data: Record<string, string> }>(
      `SELECT event_type AS type, data FROM es_events
        WHERE event_type IN ('GrantAllocated', 'AllocationReprofiled') ORDER BY global_position`,
    );
    const awarded = new Map<string, string>();
    const key = (area: string, year: string, stream: string) =>
      `-${area}-${year}-${stream.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    const award = (k: string, on: string) => {
      const before = awarded.get(k);
      awarded.set(k, before && before < on ? before : on);
    };
    for (const { type, data: m } of moves) {
      if (type === 'GrantAllocated') award(key(m.areaCode!, m.year!, m.fundingStream!), m.awardedOn!);
      else
        award(
          key(m.areaCode!, m.toYear!, m.fundingStream!),
          awarded.get(key(m.areaCode!, m.fromYear!, m.fundingStream!))!,
        );
    }
    for (const g of data.grants) {
      const expected = [...awarded].find(([suffix]) => g.id.endsWith(suffix))?.[1];
      expect({ id: g.id, awardDate: g.awardDate }).toEqual({ id: g.id, awardDate: expected });
      // The demo dates each award before its financial year or on its first day, not on the day it was loaded.
      const start = `${g.id.match(/-(\d{4})-\d{2}-/)![1]}-04-01`;
      expect(g.plannedDates[0]).toMatchObject({ startDate: start });
      expect(g.awardDate <= start).toBe(true);
    }
  });

  it('publishes the grants in the standard’s flat columns as CSV and XLSX', async () => {
    const rows = await csv('/open-data/360giving.csv');
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([
        'Identifier',
        'Amount Awarded',
        'Award Date',
        'Recipient Org:Identifier',
        'Funding Org:Identifier',
        'Planned Dates:Start Date',
      ]),
    );
    expect(await xlsx('/open-data/360giving.xlsx')).toEqual(rows);
  });

  it('publishes learning and the programme’s totals with their licence', async () => {
    const learning = JSON.parse((await download('/open-data/learning.json')).bytes.toString()) as {
      licence: { name: string; url: string };
      learning: unknown[];
    };
    expect(learning.licence.name).toBe('Open Government Licence v3.0');
    expect(learning.learning.length).toBe((await csv('/open-data/learning.csv')).length);
    const totals = await csv('/open-data/programme-totals.csv');
    const api = await t.gql<{ programmeSummary: { allocatedPence: number } }>(
      '{ programmeSummary(year: "2019-20") { allocatedPence } }',
      {},
      t.as(CENTRAL),
    );
    expect(totals.find((r) => r['Financial year'] === '2019-20')?.['Allocated (pence)']).toBe(
      String(api.data!.programmeSummary.allocatedPence),
    );
    const page = await download('/open-data');
    expect(page.status).toBe(200);
    expect(page.bytes.toString()).toContain('/open-data/360giving.json');
  });
});
