import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../../database/src/index.js';
import {
  EVENT_STORE_MIGRATIONS,
  type EventData,
  type Position,
  PostgresEventStore,
  type RecordedEvent,
  comparePositions,
} from '../../event-store/src/index.js';
import { CreateProjectionCheckpoints1732500000100 } from './checkpoint-schema.js';
import { advanceCheckpoints, readCheckpoint } from './checkpoints.js';
import { CHECKPOINT_CHANNEL } from './leadership.js';
import type { Projection, ProjectionContext } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { rebuildProjection } from './rebuild.js';
import { untilLogShowsAll } from '../../event-store/src/testing/readable.js';

function ev(type: string, n: number): EventData {
  return { id: randomUUID(), type, data: { n }, metadata: { schemaVersion: 1 } };
}

/** Records every event it applies, without a unique key, so a double-apply would show as a repeated row. */
function countingProjection(options: { failOnce?: () => boolean } = {}): Projection {
  return {
    name: 'test_counting',
    tables: ['test_applied'],
    eventTypes: ['Counted'],
    async apply(events: readonly RecordedEvent[], ctx: ProjectionContext) {
      for (const e of events) {
        await ctx.query(`INSERT INTO ${ctx.table('test_applied')} (event_id, n) VALUES ($1, $2)`, [
          e.id,
          (e.data as { n: number }).n,
        ]);
      }
      if (options.failOnce?.()) throw new Error('simulated crash after writing rows, before commit');
    },
  };
}

/** A test database with the event store and checkpoints migrated, a store on it, and `tables` created. */
async function storeDatabase(name: string, tables: readonly string[]) {
  const db = await createTestDatabase(name);
  const ds = new DataSource({
    type: 'postgres',
    url: db.url,
    migrations: [...EVENT_STORE_MIGRATIONS, CreateProjectionCheckpoints1732500000100],
  });
  await ds.initialize();
  await ds.runMigrations();
  for (const sql of tables) await ds.query(sql);
  const pool = new pg.Pool({ connectionString: db.url, max: 8 });
  const store = new PostgresEventStore(pool, { pollIntervalMs: 200 });
  return {
    ds,
    store,
    async close() {
      await store.close();
      await pool.end();
      await ds.destroy();
      await db.drop();
    },
  };
}

describe('ProjectionRunner', () => {
  let store: PostgresEventStore;
  let ds: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ ds, store, close } = await storeDatabase('iap_proj', [
      'CREATE TABLE test_applied (event_id uuid NOT NULL, n int NOT NULL)',
      'CREATE INDEX test_applied_n ON test_applied (n)',
    ]));
  });

  afterAll(async () => {
    await close?.();
  });

  beforeEach(async () => {
    await ds.query('TRUNCATE test_applied');
    await ds.query('DELETE FROM projection_checkpoints');
    await ds.query('TRUNCATE es_events, es_streams');
    head = { commit: 0n, prepare: 0n };
  });

  /** The position of the last append: the head to wait for. (A log read might not show the newest events
   * yet while other databases on the server have transactions open: see the event store's README notes.) */
  let head: Position = { commit: 0n, prepare: 0n };
  async function append(stream: string, events: EventData[]) {
    const r = await store.appendToStream(stream, events);
    if (comparePositions(r.position, head) > 0) head = r.position;
    return r;
  }

  async function applied(): Promise<{ total: number; distinct: number }> {
    const [r] = await ds.query(
      'SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct FROM test_applied',
    );
    return r;
  }

  it('applies events with their checkpoint and resumes after a restart without loss or double-apply', async () => {
    for (let i = 0; i < 30; i++) await append(`s-${i % 3}`, [ev('Counted', i), ev('Ignored', i)]);
    const runner1 = new ProjectionRunner(store, ds, [countingProjection()], { batchSize: 7 });
    runner1.start();
    const head1 = head;
    expect(await runner1.waitFor(head1)).toBe(true);
    await runner1.stop();
    expect(await applied()).toEqual({ total: 30, distinct: 30 });

    for (let i = 30; i < 50; i++) await append(`s-${i % 3}`, [ev('Counted', i)]);
    const runner2 = new ProjectionRunner(store, ds, [countingProjection()], { batchSize: 7 });
    runner2.start();
    const head2 = head;
    expect(await runner2.waitFor(head2)).toBe(true);
    await runner2.stop();
    expect(await applied()).toEqual({ total: 50, distinct: 50 });
  });

  it('rolls back a failed batch with its rows and applies it exactly once on retry', async () => {
    for (let i = 0; i < 10; i++) await append('s', [ev('Counted', i)]);
    let failures = 1;
    const runner = new ProjectionRunner(store, ds, [countingProjection({ failOnce: () => failures-- > 0 })], {
      retryDelayMs: 20,
    });
    runner.start();
    expect(await runner.waitFor(head)).toBe(true);
    await runner.stop();
    expect(failures).toBeLessThan(0); // the failure did happen
    expect(await applied()).toEqual({ total: 10, distinct: 10 });
  });

  it('applies each event once when two runners (two server instances) follow one database', async () => {
    const a = new ProjectionRunner(store, ds, [countingProjection()], { batchSize: 5 });
    const b = new ProjectionRunner(store, ds, [countingProjection()], { batchSize: 3 });
    a.start();
    b.start();
    for (let i = 0; i < 60; i++) await append(`s-${i % 4}`, [ev('Counted', i)]);
    expect(await a.waitFor(head)).toBe(true);
    expect(await b.waitFor(head)).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
    expect(await applied()).toEqual({ total: 60, distinct: 60 });
  });

  it('moves past events it does not project without a batch: one checkpoint saved now and then, the last on stop', async () => {
    const listener = new pg.Client({ connectionString: (ds.options as { url: string }).url });
    await listener.connect();
    const notices: string[] = [];
    listener.on('notification', (n) => notices.push(n.payload ?? ''));
    await listener.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
    try {
      // A save at most once a minute: the first stretch is saved at once, the rest waits for the stop.
      const runner = new ProjectionRunner(store, ds, [countingProjection()], { skipSaveMs: 60_000 });
      const batches: number[] = [];
      runner.onCommitted((_, events) => batches.push(events.length));
      runner.start();
      for (let i = 0; i < 20; i++) {
        await append(`s-${i % 3}`, [ev('Ignored', i)]);
        expect(await runner.waitFor(head)).toBe(true); // known at once, though not yet stored
      }
      await runner.stop();
      expect(await readCheckpoint(ds.manager, 'test_counting')).toEqual(head);
      expect(batches).toEqual([]);
      expect(await applied()).toEqual({ total: 0, distinct: 0 });
      await new Promise((r) => setTimeout(r, 100)); // let the last notice arrive
      expect(notices.length).toBeGreaterThanOrEqual(1);
      expect(notices.length).toBeLessThanOrEqual(2);
      expect(notices.at(-1)).toBe(`test_counting ${head.commit} ${head.prepare}`);
    } finally {
      await listener.end();
    }
  });

  it("saves every projection's skip in one statement, and never moves a stored checkpoint back", async () => {
    const listener = new pg.Client({ connectionString: (ds.options as { url: string }).url });
    await listener.connect();
    const notices: string[] = [];
    listener.on('notification', (n) => notices.push(n.payload ?? ''));
    await listener.query(`LISTEN ${CHECKPOINT_CHANNEL}`);
    const other = (name: string): Projection => ({ ...countingProjection(), name });
    try {
      const runner = new ProjectionRunner(store, ds, [other('test_skip_a'), other('test_skip_b')], {
        skipSaveMs: 60_000,
      });
      runner.start();
      for (let i = 0; i < 10; i++) {
        await append(`s-${i % 3}`, [ev('Ignored', i)]);
        expect(await runner.waitFor(head)).toBe(true);
      }
      await runner.stop();
      const rows: { name: string; c: string; p: string; at: string }[] = await ds.query(
        `SELECT name, commit_position::text AS c, prepare_position::text AS p, updated_at::text AS at
           FROM projection_checkpoints WHERE name IN ('test_skip_a', 'test_skip_b') ORDER BY name`,
      );
      expect(rows.map((r) => [r.name, r.c, r.p])).toEqual([
        ['test_skip_a', String(head.commit), String(head.prepare)],
        ['test_skip_b', String(head.commit), String(head.prepare)],
      ]);
      expect(rows[0].at).toBe(rows[1].at); // one statement (one transaction's now()) saved both
      await new Promise((r) => setTimeout(r, 100));
      for (const name of ['test_skip_a', 'test_skip_b'])
        expect(notices.filter((n) => n.startsWith(`${name} `)).at(-1)).toBe(
          `${name} ${head.commit} ${head.prepare}`,
        );

      // A save that arrives late (an older position) changes nothing and announces nothing.
      const before = notices.length;
      await advanceCheckpoints(ds.manager, [
        { name: 'test_skip_a', position: { commit: head.commit, prepare: head.prepare - 1n } },
      ]);
      await new Promise((r) => setTimeout(r, 100));
      expect(await readCheckpoint(ds.manager, 'test_skip_a')).toEqual(head);
      expect(notices.length).toBe(before);
    } finally {
      await listener.end();
    }
  });

  it('rebuilds from zero into fresh tables and swaps them in while readers never see a half-built model', async () => {
    for (let i = 0; i < 400; i++) await append(`s-${i % 5}`, [ev('Counted', i)]);
    const runner = new ProjectionRunner(store, ds, [countingProjection()]);
    runner.start();
    expect(await runner.waitFor(head)).toBe(true);
    // Damage the live model, as a projector bug would: the rebuild must put it right.
    await ds.query('DELETE FROM test_applied WHERE n < 100');
    await ds.query('INSERT INTO test_applied (event_id, n) VALUES ($1, -1)', [randomUUID()]);
    const before = await applied();

    let reading = true;
    const seen: number[] = [];
    const reader = (async () => {
      while (reading) {
        const [r] = await ds.query('SELECT count(*)::int AS c FROM test_applied');
        seen.push(r.c);
      }
    })();
    // Live writes continue during the rebuild; the live runner keeps projecting them.
    const writer = (async () => {
      for (let i = 400; i < 450; i++) await append(`s-${i % 5}`, [ev('Counted', i)]);
    })();
    const result = await rebuildProjection(store, ds, countingProjection(), { pageSize: 50 });
    await writer;
    const head2 = head;
    expect(await runner.waitFor(head2)).toBe(true);
    reading = false;
    await reader;
    await runner.stop();

    expect(result.eventsApplied).toBeGreaterThanOrEqual(400);
    expect(await applied()).toEqual({ total: 450, distinct: 450 });
    const [{ min }] = await ds.query('SELECT min(n)::int AS min FROM test_applied');
    expect(min).toBe(0);
    // Every read saw either the old model (and live additions to it) or the complete new one.
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(before.total);
    const [{ count }] = await ds.query(
      `SELECT count(*)::int AS count FROM pg_namespace WHERE nspname LIKE 'rebuild_%' OR nspname LIKE 'retired_%'`,
    );
    expect(count).toBe(0);
  });
});

describe('rebuildProjection: indexes of the fresh tables', () => {
  let store: PostgresEventStore;
  let ds: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ ds, store, close } = await storeDatabase('iap_rebuild_idx', [
      `CREATE TABLE test_rows (
         id int CONSTRAINT test_rows_key PRIMARY KEY,
         code text NOT NULL CONSTRAINT test_rows_code UNIQUE,
         n int NOT NULL CHECK (n >= 0)
       ) WITH (fillfactor = 90)`,
      'CREATE INDEX test_rows_n ON test_rows (n)',
      'CREATE INDEX test_rows_code_n ON test_rows (code, n)',
      'CREATE INDEX test_rows_small ON test_rows (id) WHERE n < 10',
    ]));
  });

  afterAll(async () => {
    await close?.();
  });

  const indexesOf = async (m: { query: DataSource['query'] }, table: string) =>
    (
      (await m.query(
        `SELECT ci.relname AS name FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
          WHERE i.indrelid = to_regclass($1) ORDER BY 1`,
        [table],
      )) as { name: string }[]
    ).map((r) => r.name);
  const definitions = async () =>
    ds.query(
      `SELECT indexname, regexp_replace(indexdef, ' ON \\S+ ', ' ON t ') AS def FROM pg_indexes
        WHERE tablename = 'test_rows' AND schemaname = current_schema() ORDER BY 1`,
    );
  const constraints = async () =>
    ds.query(
      `SELECT conname, contype, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE conrelid = 'test_rows'::regclass ORDER BY 1`,
    );

  it('builds only what the writes need while catching up, and every index under its own name before the swap', async () => {
    for (let i = 0; i < 30; i++)
      await store.appendToStream(`rows-${i}`, [ev('RowAdded', i)], { expectedRevision: 'no_stream' });
    await untilLogShowsAll(store, ds);
    const indexesBefore = await definitions();
    const constraintsBefore = await constraints();
    const seenWhileCatchingUp: string[][] = [];
    const optionsWhileCatchingUp: string[][] = [];
    const optionsOf = async (m: { query: DataSource['query'] }, table: string) =>
      ((await m.query('SELECT reloptions FROM pg_class WHERE oid = to_regclass($1)', [table]))[0]
        .reloptions ?? []) as string[];
    const projection: Projection = {
      name: 'test_rows',
      tables: ['test_rows'],
      eventTypes: ['RowAdded'],
      indexesWhileProjecting: ['test_rows_code_n'],
      async apply(events, ctx) {
        seenWhileCatchingUp.push(await indexesOf(ctx.manager, ctx.table('test_rows')));
        optionsWhileCatchingUp.push(await optionsOf(ctx.manager, ctx.table('test_rows')));
        for (const e of events) {
          const n = (e.data as { n: number }).n;
          await ctx.query(
            `INSERT INTO ${ctx.table('test_rows')} (id, code, n) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET n = EXCLUDED.n`,
            [n, `c${n}`, n],
          );
        }
      },
    };
    await rebuildProjection(store, ds, projection, { pageSize: 10 });

    // While catching up: keys, unique and partial indexes, and the one the projection reads by; not the others.
    expect(seenWhileCatchingUp.length).toBeGreaterThan(1);
    for (const names of seenWhileCatchingUp)
      expect(names).toEqual(['test_rows_code', 'test_rows_code_n', 'test_rows_key', 'test_rows_small']);
    // After the swap: the same indexes and constraints, under the same names, as the migration made.
    expect(await definitions()).toEqual(indexesBefore);
    expect(await constraints()).toEqual(constraintsBefore);
    // The table's own storage parameters throughout; autovacuum off while it fills, as the live table had it after.
    for (const options of optionsWhileCatchingUp)
      expect(options).toEqual(['fillfactor=90', 'autovacuum_enabled=false']);
    expect(await optionsOf(ds, 'test_rows')).toEqual(['fillfactor=90']);
    const [{ rows }] = await ds.query('SELECT count(*)::int AS rows FROM test_rows');
    expect(rows).toBe(30);
    // A rebuild of the rebuilt table gives the same again, and a live table's own autovacuum setting stays.
    await ds.query('ALTER TABLE test_rows SET (autovacuum_enabled = off)');
    await rebuildProjection(store, ds, projection, { pageSize: 10 });
    expect(await definitions()).toEqual(indexesBefore);
    expect(await constraints()).toEqual(constraintsBefore);
    expect((await optionsOf(ds, 'test_rows')).sort()).toEqual(['autovacuum_enabled=off', 'fillfactor=90']);
  });

  it('swaps nothing in when an index built after the catch-up fails', async () => {
    // An index whose expression fails on one row (n = 0): the rows go in while it is deferred, its build fails.
    await ds.query('CREATE TABLE test_ratios (id int PRIMARY KEY, n int NOT NULL)');
    await ds.query('CREATE INDEX test_ratios_inverse ON test_ratios ((100 / n))');
    await ds.query('CREATE TABLE test_others (id int PRIMARY KEY, n int NOT NULL)');
    await ds.query('CREATE INDEX test_others_n ON test_others (n)');
    await ds.query('INSERT INTO test_ratios VALUES (-1, 1)');
    for (let i = 0; i < 5; i++)
      await store.appendToStream(`ratio-${i}`, [ev('RatioAdded', i)], { expectedRevision: 'no_stream' });
    await untilLogShowsAll(store, ds);
    const projection: Projection = {
      name: 'test_ratios',
      tables: ['test_ratios', 'test_others'],
      eventTypes: ['RatioAdded'],
      async apply(events, ctx) {
        for (const e of events) {
          const n = (e.data as { n: number }).n;
          await ctx.query(`INSERT INTO ${ctx.table('test_ratios')} (id, n) VALUES ($1, $1)`, [n]);
          await ctx.query(`INSERT INTO ${ctx.table('test_others')} (id, n) VALUES ($1, $1)`, [n]);
        }
      },
    };
    await expect(rebuildProjection(store, ds, projection, { pageSize: 2 })).rejects.toThrow(
      /division by zero/,
    );
    // The live tables are as they were, and no checkpoint claims the rebuilt position.
    expect(await ds.query('SELECT id, n FROM test_ratios')).toEqual([{ id: -1, n: 1 }]);
    expect(await ds.query('SELECT count(*)::int AS n FROM test_others')).toEqual([{ n: 0 }]);
    expect(
      await ds.query(`SELECT count(*)::int AS n FROM projection_checkpoints WHERE name = 'test_ratios'`),
    ).toEqual([{ n: 0 }]);
  });
});
