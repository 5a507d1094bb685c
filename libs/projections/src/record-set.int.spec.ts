import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../database/src/index.js';
import { clientOf, copyRows } from './copy.js';
import { asText, copyLine, recordSet } from './record-set.js';

/** The text arrays that VersionedRows sends its rows in, read back by PostgreSQL. */
describe('recordSet', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('iap_record_set');
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('gives back every value as it was, whatever characters it holds', async () => {
    const { rows, columns, awkward } = awkwardRows();
    // A column given as text beside the rows (as VersionedRows gives each version's bounds).
    const given = rows.map((_, i) => (i % 4 === 3 ? null : awkward[i % awkward.length] || 'x'));
    const set = recordSet(columns, rows, 1, [['extra', 'text', given]]);
    const back = await ds.query(
      `SELECT t, arr, doc, d::text AS d, "at", big::text AS big, num::text AS num, ok, extra FROM (${set.select}) AS r`,
      set.params,
    );
    expect(back).toEqual(rows.map((r, i) => ({ ...r, at: r.at && new Date(r.at), extra: given[i] })));
  });

  it('gives back every value COPY was sent as lines of its text format, whatever characters it holds', async () => {
    const { rows, columns } = awkwardRows();
    const back = await ds.transaction(async (m) => {
      await m.query(
        `CREATE TEMP TABLE copied (t text, arr text[], doc jsonb, d date, "at" timestamptz, big bigint, num numeric,
           ok boolean) ON COMMIT DROP`,
      );
      const lines = rows.map((r) => copyLine(columns.map(([c, type]) => asText(r[c], type))));
      const copied = await copyRows(
        await clientOf(m),
        'copied',
        columns.map(([c]) => `"${c}"`),
        lines,
      );
      expect(copied).toBe(rows.length);
      return m.query(
        `SELECT t, arr, doc, d::text AS d, "at", big::text AS big, num::text AS num, ok FROM copied`,
      );
    });
    expect(back).toEqual(rows.map((r) => ({ ...r, at: r.at && new Date(r.at) })));
  });
});

/** Rows of every type the projections write, with values that quoting and escaping could get wrong. */
function awkwardRows() {
  const awkward = [
    '',
    'NULL',
    'null',
    'a,b',
    '{x}',
    'say "hi"',
    'back\\slash',
    "it's",
    'é – 😀',
    ' spaced ',
    '\n\t',
    'tab\there\r\nand \\N',
  ];
  const columns = [
    ['t', 'text'],
    ['arr', 'text[]'],
    ['doc', 'jsonb'],
    ['d', 'date'],
    ['at', 'timestamptz'],
    ['big', 'bigint'],
    ['num', 'numeric'],
    ['ok', 'boolean'],
  ] as const;
  const rows = awkward.map((s, i) => ({
    t: s,
    arr: [s, null, `${s}${i}`],
    doc: { s, list: [s, i, null], nested: { s } },
    d: '2020-02-29',
    at: new Date(Date.UTC(2020, 1, 29, 23, 59, 59, i)),
    big: '9007199254740993',
    num: i % 2 ? null : '12.50',
    ok: i % 3 === 0,
  }));
  rows.push({ t: null, arr: [], doc: null, d: null, at: null, big: null, num: null, ok: null } as never);
  rows.push({
    t: 'x',
    arr: null,
    doc: 'a JSON string',
    d: null,
    at: null,
    big: null,
    num: null,
    ok: null,
  } as never);
  return { rows: rows as (Record<string, unknown> & { at: Date | null })[], columns, awkward };
}
