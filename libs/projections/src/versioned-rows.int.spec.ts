import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../database/src/index.js';
import { addVersionColumns, createHistoryTable, currentVersionsMigration } from './history.migration.js';
import { VersionedRows } from './versioned-rows.js';
import type { VersionedTableSpec } from './versioned-table.js';
import { sqlFor } from './as-of.js';
import { projectionContext } from './projection-runner.js';

const SPEC: VersionedTableSpec = {
  table: 'counters',
  key: ['id'],
  columns: [
    ['id', 'text'],
    ['n', 'int'],
    ['revision', 'int'],
  ],
  // As a projection gives every row the latest revision of their stream.
  overwritten: ['revision'],
  // As a text search vector is computed from the row's text.
  computed: { label: `'n=' || n` },
};

/** A table of counts per area and status, read through its (area, validity) range, unless `changes` say otherwise. */
const byArea = (table: string, changes: Partial<VersionedTableSpec> = {}): VersionedTableSpec => ({
  table,
  key: ['area', 'status'],
  columns: [
    ['area', 'text'],
    ['status', 'text'],
    ['n', 'int'],
  ],
  scope: ['area'],
  ...changes,
});

/** VersionedRows against a real PostgreSQL: the versions it writes, batch after batch. */
describe('VersionedRows', () => {
  let db: TestDatabase;
  let ds: DataSource;

  /** One batch of versions of row `a` (n, and the revision of its own event, n * 10). */
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
      for (const [n, at] of versions)
        rows.put({ ...rows.get({ id: 'a' }), id: 'a', n, revision: n * 10 }, new Date(at));
      await rows.flush(ctx);
      // Other SQL gives the row a later revision, as setAreaRevisions does.
      await m.query(`UPDATE counters SET revision = revision + 1000`);
      await ctx.flush();
    });
  };
  /** Every version, as the as-of views read them: the closed ones (history) and the current one (live). */
  const versions = `SELECT * FROM counters_history UNION ALL
    SELECT id, n, version_revision, valid_from, 'infinity' FROM counters WHERE valid_from IS NOT NULL`;
  const history = async () =>
    (
      await ds.query(
        `SELECT n, revision, valid_from AS "from", valid_to AS "to" FROM (${versions}) AS v ORDER BY valid_from`,
      )
    ).map((r: { n: number; revision: number; from: Date; to: Date | string }) => [
      r.n,
      r.revision,
      new Date(r.from).toISOString(),
      r.to instanceof Date ? r.to.toISOString() : String(r.to),
    ]);
  /** The versions valid at an instant, read by the SQL the as-of views use. */
  const at = async (instant: string) =>
    ds.query(
      `SELECT n, revision FROM (${sqlFor('public').current(SPEC).replaceAll(sqlFor('public').at, '$1::timestamptz')}) AS c ORDER BY n`,
      [instant],
    );

  beforeAll(async () => {
    db = await createTestDatabase('iap_history');
    ds = new DataSource({ type: 'postgres', url: db.url });
    await ds.initialize();
    const q: QueryRunner = ds.createQueryRunner();
    await q.query(
      'CREATE TABLE counters (id text PRIMARY KEY, n int NOT NULL, revision int NOT NULL, label text NOT NULL)',
    );
    await createHistoryTable(q, SPEC);
    await addVersionColumns(q, SPEC);
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
    // Each version keeps its own revision (not the one other SQL gave the live row); version 2 lasted no time.
    expect(await history()).toEqual([
      [1, 10, '2020-01-01T10:00:00.000Z', '2020-01-01T11:00:00.000Z'],
      [3, 30, '2020-01-01T11:00:00.000Z', '2020-01-01T12:00:00.000Z'],
      [4, 40, '2020-01-01T12:00:00.000Z', 'Infinity'],
    ]);
    expect(await ds.query(`SELECT n, revision, label FROM counters`)).toEqual([
      { n: 4, revision: 1040, label: 'n=4' },
    ]);
    expect(await at('2020-01-01T11:30:00.000Z')).toEqual([{ n: 3, revision: 30 }]);
    expect(await at('2020-01-01T12:00:00.000Z')).toEqual([{ n: 4, revision: 40 }]);
    expect(await at('2020-01-01T09:59:59.999Z')).toEqual([]);
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
      `WITH v AS (SELECT row_number() OVER () AS i, * FROM (${versions}) AS v)
       SELECT count(*)::int AS n FROM v a JOIN v b
          ON a.i <> b.i AND tstzrange(a.valid_from, a.valid_to) && tstzrange(b.valid_from, b.valid_to)`,
    );
    expect(overlaps).toEqual([{ n: 0 }]);
    expect(await at('2020-01-01T12:30:00.000Z')).toEqual([{ n: 5, revision: 50 }]);
    expect(await ds.query(`SELECT n FROM counters`)).toEqual([{ n: 6 }]);
    expect(
      await ds.query(`SELECT count(*)::int AS n FROM counters_history WHERE valid_from >= valid_to`),
    ).toEqual([{ n: 0 }]);
  });

  it('reads a page of the versions valid at an instant in index order by merging the two tables, without sorting them all', async () => {
    // Asked for the first rows in key order, PostgreSQL can merge the history's (key, valid_to) index scan with
    // the live table's primary key scan only if the as-of SQL lets it flatten the UNION ALL. With sorting
    // disabled, a plan that cannot merge still sorts (a disabled Sort), which this catches.
    const plan = await ds.transaction(async (m) => {
      await m.query('SET LOCAL enable_sort = off');
      await m.query('SET LOCAL enable_seqscan = off');
      // The instant as the as-of views read it (a setting of the connection).
      await m.query(`SELECT set_config('iap.as_of', '2020-01-01T11:30:00Z', true)`);
      const [row] = await m.query(
        `EXPLAIN (FORMAT JSON) SELECT id FROM (${sqlFor('public').current(SPEC)}) AS c ORDER BY id LIMIT 2`,
      );
      return JSON.stringify(row['QUERY PLAN']);
    });
    expect(plan).toContain('"Merge Append"');
    expect(plan).not.toMatch(/"Node Type":"[^"]*Sort"/);
  });

  it('leaves out of what stood at an instant the live rows that no version wrote, whichever form the condition takes', async () => {
    const q: QueryRunner = ds.createQueryRunner();
    try {
      for (const spec of [byArea('scoped_counts'), byArea('keyed_counts', { scope: undefined })]) {
        await q.query(
          `CREATE TABLE ${spec.table} (area text, status text, n int, PRIMARY KEY (area, status))`,
        );
        await createHistoryTable(q, spec);
        await addVersionColumns(q, spec);
        // One row a version wrote at 10:00; one that other SQL inserted (as before there were versions).
        await q.query(`INSERT INTO ${spec.table} (area, status, n, valid_from) VALUES
          ('E1', 'OPEN', 1, '2020-01-01T10:00Z'), ('E1', 'DONE', 2, NULL)`);
        const asOf = sqlFor('public');
        const sql = asOf.current(spec).replaceAll(asOf.at, `'2020-01-01T11:00:00Z'::timestamptz`);
        expect(await q.query(`SELECT area, status, n FROM (${sql}) AS c`)).toEqual([
          { area: 'E1', status: 'OPEN', n: 1 },
        ]);
      }
    } finally {
      await q.release();
    }
  });

  it('moves the current versions of a history that held them all to the live table (migration)', async () => {
    const q: QueryRunner = ds.createQueryRunner();
    try {
      // The layout before: the history held every version, the current one with valid_to 'infinity'.
      await q.query(`CREATE TABLE old_counters (id text PRIMARY KEY, n int NOT NULL, revision int NOT NULL)`);
      const old: VersionedTableSpec = { ...SPEC, table: 'old_counters' };
      await createHistoryTable(q, old);
      await q.query(`INSERT INTO old_counters VALUES ('a', 2, 1002), ('b', 7, 1007), ('c', 9, 1009)`);
      await q.query(`INSERT INTO old_counters_history (id, n, revision, valid_from, valid_to) VALUES
        ('a', 1, 1, '2020-01-01T10:00Z', '2020-01-01T11:00Z'), ('a', 2, 2, '2020-01-01T11:00Z', 'infinity'),
        ('b', 7, 7, '2020-01-01T12:00Z', 'infinity')`);
      const Migration = currentVersionsMigration('Test1', [old]);
      await new Migration().up(q);
      expect(
        await q.query(`SELECT id, n, revision, version_revision, valid_from FROM old_counters ORDER BY id`),
      ).toEqual([
        { id: 'a', n: 2, revision: 1002, version_revision: 2, valid_from: new Date('2020-01-01T11:00Z') },
        { id: 'b', n: 7, revision: 1007, version_revision: 7, valid_from: new Date('2020-01-01T12:00Z') },
        // A row that no version wrote stays without one.
        { id: 'c', n: 9, revision: 1009, version_revision: null, valid_from: null },
      ]);
      expect(await q.query(`SELECT id, n, revision FROM old_counters_history`)).toEqual([
        { id: 'a', n: 1, revision: 1 },
      ]);
    } finally {
      await q.release();
    }
  });

  it('gives a history no (key, valid_to) index when its scope index serves, and the migration drops one', async () => {
    const q: QueryRunner = ds.createQueryRunner();
    const indexes = async (table: string) =>
      (
        await q.query(`SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY 1`, [
          `${table}_history`,
        ])
      ).map((r: { indexname: string }) => r.indexname);
    const scoped = (table: string, keyIndex: boolean) => byArea(table, { historyKeyIndex: keyIndex });
    try {
      for (const t of ['by_area', 'old_by_area'])
        await q.query(`CREATE TABLE ${t} (area text, status text, n int, PRIMARY KEY (area, status))`);
      await createHistoryTable(q, scoped('by_area', false));
      expect(await indexes('by_area')).toEqual(['by_area_history_scope']);
      // A history made before, with the index: the migration drops it.
      await createHistoryTable(q, scoped('old_by_area', true));
      expect(await indexes('old_by_area')).toEqual(['old_by_area_history_key', 'old_by_area_history_scope']);
      await new (currentVersionsMigration('Test2', [scoped('old_by_area', false)]))().up(q);
      expect(await indexes('old_by_area')).toEqual(['old_by_area_history_scope']);
    } finally {
      await q.release();
    }
  });
});
