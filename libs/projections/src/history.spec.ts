import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../database/src/index.js';
import { createHistoryTable, recordSet, VersionedRows, type VersionedTableSpec } from './history.js';
import { projectionContext } from './projection-runner.js';

const SPEC: VersionedTableSpec = {
  table: 'counters',
  key: ['id'],
  columns: [
    ['id', 'text'],
    ['n', 'int'],
  ],
};

/** VersionedRows against a real PostgreSQL: the versions it writes, batch after batch. */
describe('VersionedRows', () => {
  let db: TestDatabase;
  let ds: DataSource;

  const batch = async (versions: [n: number, at: string][]) => {
    await ds.transaction(async (m) => {
      const ctx = projectionContext(
        m,
        new Map([
          ['counters', '"counters"'],
          ['counters_history', '"counters_history"'],
        ]),
      );
      const rows = new VersionedRows(SPEC);
      await rows.load(ctx, [{ id: 'a' }]);
      for (const [n, at] of versions) rows.put({ id: 'a', n }, new Date(at));
      await rows.flush(ctx);
      await ctx.flush();
    });
  };
  const history = async () =>
    (
      await ds.query(
        `SELECT n, valid_from AS "from", valid_to AS "to" FROM counters_history
          WHERE valid_from < valid_to ORDER BY valid_from`,
      )
    ).map((r: { n: number; from: Date; to: Date | string }) => [
      r.n,
      new Date(r.from).toISOString(),
      r.to instanceof Date ? r.to.toISOString() : String(r.to),
    ]);
  const at = async (instant: string) =>
    ds.query(`SELECT n FROM counters_history WHERE valid_from <= $1 AND valid_to > $1 ORDER BY n`, [instant]);

  beforeAll(async () => {
    db = await createTestDatabase('iap_history');
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    const q: QueryRunner = ds.createQueryRunner();
    await q.query('CREATE TABLE counters (id text PRIMARY KEY, n int NOT NULL)');
    await createHistoryTable(q, SPEC);
    await q.release();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('chains versions within and across batches, and a same-millisecond version supersedes the current one', async () => {
    await batch([
      [1, '2020-01-01T10:00:00.000Z'],
      [2, '2020-01-01T11:00:00.000Z'],
    ]);
    await batch([[3, '2020-01-01T11:00:00.000Z']]);
    await batch([[4, '2020-01-01T12:00:00.000Z']]);
    expect(await history()).toEqual([
      [1, '2020-01-01T10:00:00.000Z', '2020-01-01T11:00:00.000Z'],
      [3, '2020-01-01T11:00:00.000Z', '2020-01-01T12:00:00.000Z'],
      [4, '2020-01-01T12:00:00.000Z', 'Infinity'],
    ]);
    expect(await ds.query(`SELECT n FROM counters`)).toEqual([{ n: 4 }]);
  });

  it('never lets a version start before the current one (an event recorded earlier, logged later)', async () => {
    // The current version began at 12:00; this batch's event was recorded at 11:30 but comes later in the log.
    await batch([[5, '2020-01-01T11:30:00.000Z']]);
    await batch([[6, '2020-01-01T13:00:00.000Z']]);
    for (const instant of [
      '2020-01-01T11:30:00.000Z',
      '2020-01-01T11:45:00.000Z',
      '2020-01-01T12:30:00.000Z',
    ])
      expect((await at(instant)).length).toBe(1);
    const overlaps = await ds.query(
      `SELECT count(*)::int AS n FROM counters_history a JOIN counters_history b
          ON a.ctid <> b.ctid AND tstzrange(a.valid_from, a.valid_to) && tstzrange(b.valid_from, b.valid_to)`,
    );
    expect(overlaps).toEqual([{ n: 0 }]);
    expect(await at('2020-01-01T12:30:00.000Z')).toEqual([{ n: 5 }]);
    expect(await ds.query(`SELECT n FROM counters`)).toEqual([{ n: 6 }]);
  });
});

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
    const set = recordSet(columns, rows, 1);
    const back = await ds.query(
      `SELECT t, arr, doc, d::text AS d, "at", big::text AS big, num::text AS num, ok FROM (${set.select}) AS r`,
      set.params,
    );
    expect(back).toEqual(rows.map((r) => ({ ...r, at: r.at && new Date(r.at) })));
  });
});
