import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../database/src/index.js';
import { eventStoreContract, event, collect } from '../testing/contract.js';
import { CommandIdReusedError, DuplicateEventIdError, StreamNotFoundError } from '../errors.js';
import { type RecordedEvent, type SubscriptionMessage, comparePositions } from '../types.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { EVENT_STORE_SCHEMA_UP, EVENT_STORE_SCHEMA_V1_UP, EVENT_STORE_SCHEMA_V2_UP } from './schema.js';

async function setUp(): Promise<{ db: TestDatabase; pool: pg.Pool; store: PostgresEventStore }> {
  const db = await createTestDatabase('iap_es');
  const pool = new pg.Pool({ connectionString: db.url, max: 12 });
  // Dropping the test database (WITH FORCE) at teardown ends any connection still idle: not a test failure.
  pool.on('error', () => undefined);
  for (const sql of EVENT_STORE_SCHEMA_UP) await pool.query(sql);
  return { db, pool, store: new PostgresEventStore(pool, { pollIntervalMs: 500 }) };
}

eventStoreContract('PostgreSQL', async () => {
  const { db, pool, store } = await setUp();
  return {
    store,
    async teardown() {
      await store.close();
      await pool.end();
      await db.drop();
    },
  };
});

describe('PostgreSQL event store: global log under concurrency', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  beforeAll(async () => {
    ({ db, pool, store } = await setUp());
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('rejects an event id already stored in another stream (ids are unique across the whole store)', async () => {
    const e = event();
    await store.appendToStream('dup-a', [e], { expectedRevision: 'no_stream' });
    await expect(
      store.appendToStream('dup-b', [e], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(DuplicateEventIdError);
    await expect(store.readStream('dup-b')).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('answers subscriptions asking for the log after one position at once with one read, then reads again', async () => {
    const first = await store.appendToStream('shared-read', [event(), event()]);
    const after = { commit: first.position.commit, prepare: first.position.prepare - 1n };
    const a = store.readAllAfter(after, 10);
    const b = store.readAllAfter(after, 10);
    expect(b).toBe(a); // one query in flight, shared
    expect(store.readAllAfter(after, 11)).not.toBe(a); // another page size is another read
    const events = await a;
    expect(events.map((e) => e.streamId)).toEqual(['shared-read']);
    expect(store.readAllAfter(after, 10)).not.toBe(a); // once answered, the next asks the database again
  });

  it('does not let a reader pass a transaction that commits later with a lower position', async () => {
    const slow = await pool.connect();
    try {
      await slow.query('BEGIN');
      // Takes its identity value (a lower position) first, then commits last.
      await slow.query(`SELECT * FROM es_append('gap-slow', -1, ARRAY[gen_random_uuid()], ARRAY['Slow'],
        ARRAY['{}'::jsonb], ARRAY['{"schemaVersion":1}'::jsonb])`);
      await store.appendToStream('gap-fast', [event('Fast')], { expectedRevision: 'no_stream' });
      const seenBefore = (await store.readAll({ maxCount: 100 })).map((e) => e.type);
      expect(seenBefore).not.toContain('Fast'); // held back until the older transaction ends
      await slow.query('COMMIT');
    } finally {
      slow.release();
    }
    let seenAfter: string[] = [];
    for (const deadline = Date.now() + 10_000; !seenAfter.includes('Fast') && Date.now() < deadline;) {
      // (a transaction elsewhere that ends just as the horizon is computed may hold it back for a moment)
      seenAfter = (await store.readAll({ maxCount: 100 })).map((e) => e.type);
    }
    expect(seenAfter.indexOf('Slow')).toBeGreaterThanOrEqual(0);
    expect(seenAfter.indexOf('Fast')).toBeGreaterThan(seenAfter.indexOf('Slow'));
  });

  it('delivers every event exactly once to a concurrent subscriber while writers commit out of order', async () => {
    const writers = 8;
    const perWriter = 40;
    const sub = store.subscribeToAll();
    const expectedIds = new Set<string>();
    const received = collect(
      sub,
      (evs) => evs.filter((e) => e.streamId.startsWith('race-')).length >= writers * perWriter,
      60_000,
    );

    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i++) {
          const e = event('Raced', { w, i });
          expectedIds.add(e.id);
          if (i % 3 === 0) {
            // An explicit transaction that holds its position while others commit past it.
            const c = await pool.connect();
            try {
              await c.query('BEGIN');
              await c.query(
                `SELECT * FROM es_append($1, -2, ARRAY[$2::uuid], ARRAY['Raced'], ARRAY[$3::jsonb], ARRAY[$4::jsonb])`,
                [`race-${w}`, e.id, JSON.stringify(e.data), JSON.stringify(e.metadata)],
              );
              await c.query(`SELECT pg_sleep(${(Math.random() * 0.02).toFixed(3)})`);
              await c.query('COMMIT');
            } finally {
              c.release();
            }
          } else {
            await store.appendToStream(`race-${w}`, [e]);
          }
        }
      }),
    );

    const events: RecordedEvent[] = (await received).filter((e) => e.streamId.startsWith('race-'));
    await sub.unsubscribe();
    const ids = events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length); // nothing duplicated
    expect(new Set(ids)).toEqual(expectedIds); // nothing missed
    for (let i = 1; i < events.length; i++) {
      expect(comparePositions(events[i - 1].position, events[i].position)).toBeLessThan(0);
    }
    for (let w = 0; w < writers; w++) {
      const revisions = events.filter((e) => e.streamId === `race-${w}`).map((e) => Number(e.revision));
      expect(revisions).toEqual(Array.from({ length: perWriter }, (_, i) => i));
    }
  });

  it('wakes a caught-up subscriber in another process through LISTEN/NOTIFY within tens of milliseconds', async () => {
    // A second store on its own pool stands for another process: only NOTIFY can wake it before its poll.
    const otherPool = new pg.Pool({ connectionString: db.url, max: 2 });
    otherPool.on('error', () => undefined);
    const other = new PostgresEventStore(otherPool, { pollIntervalMs: 5_000 });
    try {
      const head = await store.appendToStream('notify-0', [event('Before')]);
      const sub = other.subscribeToAll({ fromPosition: head.position });
      const it = sub[Symbol.asyncIterator]();
      const first = await it.next();
      expect(first.value).toMatchObject({ type: 'caughtUp' });
      await new Promise((r) => setTimeout(r, 300)); // let the LISTEN connection settle
      const started = Date.now();
      const next = it.next();
      await store.appendToStream('notify-0', [event('Live')]);
      // Woken, the subscriber may find the event still hidden for a moment (see es_horizon) and look again soon,
      // knowing the head moved; a caughtUp is no longer repeated, but skip one should it come.
      let got = await next;
      while (!got.done && got.value.type === 'caughtUp' && Date.now() - started < 1_000)
        got = await it.next();
      const latency = Date.now() - started;
      await sub.unsubscribe();
      expect(got.value).toMatchObject({ type: 'event', event: { type: 'Live' } });
      expect(latency).toBeLessThan(1_000); // far below the 5 s poll: the notification woke it
    } finally {
      await other.close();
      await otherPool.end();
    }
  });
  it('announces the first append after a quiet spell at once, and the appends that follow it together after the interval', async () => {
    const writer = new PostgresEventStore(pool, { pollIntervalMs: 60_000, notifyIntervalMs: 1_500 });
    const otherPool = new pg.Pool({ connectionString: db.url, max: 2 });
    otherPool.on('error', () => undefined);
    const other = new PostgresEventStore(otherPool, { pollIntervalMs: 60_000 });
    try {
      const head = await writer.appendToStream('notify-edge', [event('Before')]);
      await new Promise((r) => setTimeout(r, 1_600)); // the interval that append opened is over
      const sub = other.subscribeToAll({ fromPosition: head.position });
      const it = sub[Symbol.asyncIterator]();
      expect((await it.next()).value).toMatchObject({ type: 'caughtUp' });
      await new Promise((r) => setTimeout(r, 300)); // let the LISTEN connection settle
      const nextEvent = async () => {
        for (;;) {
          const got = await it.next();
          if (got.done || got.value.type === 'event') return got.value;
        }
      };
      let started = Date.now();
      let pending = nextEvent();
      await writer.appendToStream('notify-edge', [event('First')]);
      expect(await pending).toMatchObject({ event: { type: 'First' } });
      expect(Date.now() - started).toBeLessThan(1_000); // not held for the interval
      started = Date.now();
      pending = nextEvent();
      await writer.appendToStream('notify-edge', [event('Second')]);
      expect(await pending).toMatchObject({ event: { type: 'Second' } });
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThan(500); // within the interval of the first notice: announced at its end
      expect(waited).toBeLessThan(3_000);
      await sub.unsubscribe();
    } finally {
      await other.close();
      await otherPool.end();
      await writer.close();
    }
  });
});

describe('PostgreSQL event store: the log is held back only by transactions that append to it', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  beforeAll(async () => {
    ({ db, pool, store } = await setUp());
    await pool.query('CREATE TABLE unrelated (n int)');
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  /** The first message that `it` yields within `ms` and `wanted` accepts, or null. */
  async function within(
    it: AsyncIterator<SubscriptionMessage>,
    ms: number,
    wanted: (m: SubscriptionMessage) => boolean,
  ): Promise<SubscriptionMessage | null> {
    const deadline = Date.now() + ms;
    let pending = it.next();
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        pending,
        new Promise<'timeout'>(
          (r) => (timer = setTimeout(() => r('timeout'), Math.max(0, deadline - Date.now()))),
        ),
      ]);
      clearTimeout(timer);
      if (next === 'timeout' || next.done) return null;
      if (wanted(next.value)) return next.value;
      pending = it.next();
    }
  }

  it('shows an acknowledged append to readAll and a live subscription within a second, while unrelated transactions hold ids', async () => {
    // A transaction holding an id in another database of the same server (another application's), and one in
    // this database that writes, but no events (a long report or data load).
    const other = await createTestDatabase('iap_es_other');
    const foreign = new pg.Client({ connectionString: other.url });
    const local = await pool.connect();
    const head = await store.appendToStream('horizon-0', [event('Before')]);
    const sub = store.subscribeToAll({ fromPosition: head.position });
    const it = sub[Symbol.asyncIterator]();
    try {
      expect(await within(it, 5_000, (m) => m.type === 'caughtUp')).not.toBeNull();
      await foreign.connect();
      await foreign.query('BEGIN');
      await foreign.query('SELECT pg_current_xact_id()');
      await local.query('BEGIN');
      await local.query('INSERT INTO unrelated VALUES (1)');

      const started = Date.now();
      const appended = await store.appendToStream('horizon-0', [event('Acknowledged')]);
      let read: RecordedEvent[] = [];
      while (read.length === 0 && Date.now() - started < 1_000) {
        read = await store.readAll({ fromPosition: appended.position, maxCount: 1 });
        if (read.length === 0) await new Promise((r) => setTimeout(r, 10));
      }
      expect(read.map((e) => e.type)).toEqual(['Acknowledged']);
      const live = await within(it, 1_000 - (Date.now() - started), (m) => m.type === 'event');
      expect(live).toMatchObject({ type: 'event', event: { type: 'Acknowledged' } });
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await sub.unsubscribe();
      await local.query('ROLLBACK');
      local.release();
      await foreign.end().catch(() => undefined);
      await other.drop();
    }
  });

  it('refuses es_append in a transaction that wrote something else first (its id could already be passed)', async () => {
    const c = await pool.connect();
    const append = (stream: string) =>
      c.query(
        `SELECT * FROM es_append($1, -2, ARRAY[gen_random_uuid()], ARRAY['T'], ARRAY['{}'::jsonb],
        ARRAY['{"schemaVersion":1}'::jsonb])`,
        [stream],
      );
    try {
      await c.query('BEGIN');
      await c.query('INSERT INTO unrelated VALUES (2)');
      await expect(append('late-appender')).rejects.toMatchObject({ code: 'ES412' });
      await c.query('ROLLBACK');
      // Appending first, then anything (a second append included), is fine.
      await c.query('BEGIN');
      await append('early-appender');
      await c.query('INSERT INTO unrelated VALUES (3)');
      await append('early-appender');
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    expect(await store.readStream('early-appender')).toHaveLength(2);
  });

  it('holds the log back behind an appending transaction still open, in this database only', async () => {
    const slow = await pool.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(`SELECT * FROM es_append('held-slow', -1, ARRAY[gen_random_uuid()], ARRAY['Slow'],
        ARRAY['{}'::jsonb], ARRAY['{"schemaVersion":1}'::jsonb])`);
      const fast = await store.appendToStream('held-fast', [event('Fast')], {
        expectedRevision: 'no_stream',
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(await store.readAll({ fromPosition: fast.position, maxCount: 1 })).toEqual([]);
      await slow.query('COMMIT');
      // (A transaction elsewhere that ends just as the horizon is computed may hold it back for a moment.)
      let after: RecordedEvent[] = [];
      for (const deadline = Date.now() + 5_000; after.length === 0 && Date.now() < deadline;)
        after = await store.readAll({ fromPosition: fast.position, maxCount: 1 });
      expect(after.map((e) => e.type)).toEqual(['Fast']);
    } finally {
      slow.release();
    }
  });
});

describe('PostgreSQL event store: upgrading a version 1 schema', () => {
  it('keeps the events, claims the command ids already used (first stream wins), and appends and reads on', async () => {
    const db = await createTestDatabase('iap_es_upgrade');
    const pool = new pg.Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined);
    const store = new PostgresEventStore(pool, { pollIntervalMs: 200 });
    try {
      for (const sql of EVENT_STORE_SCHEMA_V1_UP) await pool.query(sql);
      // As the version 1 decider wrote them: the command id in the metadata (once reused on a second stream).
      const meta = (commandId: string) => JSON.stringify({ schemaVersion: 1, commandId });
      for (const [stream, commandId] of [
        ['old-a', 'cmd-1'],
        ['old-b', 'cmd-1'],
        ['old-b', 'cmd-2'],
      ]) {
        await pool.query(
          `SELECT * FROM es_append($1, -2, ARRAY[gen_random_uuid()], ARRAY['Old'], ARRAY['{}'::jsonb], ARRAY[$2::jsonb])`,
          [stream, meta(commandId)],
        );
      }
      for (const sql of EVENT_STORE_SCHEMA_V2_UP) await pool.query(sql);
      const { rows } = await pool.query(
        'SELECT command_id, stream_id, digest FROM es_commands ORDER BY command_id',
      );
      expect(rows).toEqual([
        { command_id: 'cmd-1', stream_id: 'old-a', digest: null },
        { command_id: 'cmd-2', stream_id: 'old-b', digest: null },
      ]);
      await expect(
        store.appendToStream('new-c', [event()], { command: { id: 'cmd-2', digest: 'd' } }),
      ).rejects.toBeInstanceOf(CommandIdReusedError);
      // An old claim has no digest: the same stream may use it again (the decider compares the events' metadata).
      await store.appendToStream('old-b', [event('New')], {
        expectedRevision: 1n,
        command: { id: 'cmd-2', digest: 'd' },
      });
      let all: RecordedEvent[] = [];
      for (const deadline = Date.now() + 5_000; all.length < 4 && Date.now() < deadline;)
        all = await store.readAll({ maxCount: 10 });
      expect(all.map((e) => e.type)).toEqual(['Old', 'Old', 'Old', 'New']);
    } finally {
      await store.close();
      await pool.end();
      await db.drop();
    }
  });
});
