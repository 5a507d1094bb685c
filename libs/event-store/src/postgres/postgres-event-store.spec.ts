import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../database/src/index.js';
import { eventStoreContract, event, collect } from '../testing/contract.js';
import { DuplicateEventIdError, StreamNotFoundError } from '../errors.js';
import { type RecordedEvent, comparePositions } from '../types.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { EVENT_STORE_SCHEMA_UP } from './schema.js';

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
      // (other test databases on the same server may hold the snapshot back for a moment)
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
      // Woken, the subscriber may find the event still hidden behind another database's open transaction and
      // report caughtUp again (it then looks again soon, knowing the head moved): skip those.
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
});
