import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../database/src/index.js';
import {
  EVENT_STORE_MIGRATIONS,
  type EventData,
  type EventStore,
  type Position,
  PostgresEventStore,
  type RecordedEvent,
  comparePositions,
} from '../../event-store/src/index.js';
import { CreateProjectionCheckpoints1732500000100 } from './checkpoint-schema.js';
import type { Projection, ProjectionContext } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

function ev(n: number): EventData {
  return { id: randomUUID(), type: 'Counted', data: { n }, metadata: { schemaVersion: 1 } };
}

/** Records each event it applies with the runner that applied it (no unique key: a double-apply would show). */
function taggedProjection(runner: string): Projection {
  return {
    name: 'test_led',
    tables: ['test_led_applied'],
    eventTypes: ['Counted'],
    async apply(events: readonly RecordedEvent[], ctx: ProjectionContext) {
      for (const e of events)
        await ctx.query(`INSERT INTO ${ctx.table('test_led_applied')} (event_id, runner) VALUES ($1, $2)`, [
          e.id,
          runner,
        ]);
    },
  };
}

/** The store as one instance sees it, counting the log subscriptions it opens. */
function counted(store: EventStore): { store: EventStore; subscriptions: () => number } {
  let n = 0;
  const wrapped = Object.create(store) as EventStore;
  wrapped.subscribeToAll = (options) => {
    n++;
    return store.subscribeToAll(options);
  };
  return { store: wrapped, subscriptions: () => n };
}

describe('ProjectionRunner with leadership (two instances on one database)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let head: Position = { commit: 0n, prepare: 0n };
  const running: ProjectionRunner[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('iap_leader');
    ds = new DataSource({
      type: 'postgres',
      url: db.url,
      migrations: [...EVENT_STORE_MIGRATIONS, CreateProjectionCheckpoints1732500000100],
    });
    await ds.initialize();
    await ds.runMigrations();
    await ds.query('CREATE TABLE test_led_applied (event_id uuid NOT NULL, runner text NOT NULL)');
    pool = new pg.Pool({ connectionString: db.url, max: 8 });
    // As the server's pool does (EventStoreModule): an idle connection the server ends (the last test terminates a
    // session) is dropped and replaced, not an unhandled error that fails whichever test is running.
    pool.on('error', () => undefined);
    store = new PostgresEventStore(pool, { pollIntervalMs: 200 });
  });

  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    await store?.close();
    await pool?.end();
    await ds?.destroy();
    await db?.drop();
  });

  beforeEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
    await ds.query('TRUNCATE test_led_applied');
    await ds.query('DELETE FROM projection_checkpoints');
    await ds.query('TRUNCATE es_events, es_streams');
    head = { commit: 0n, prepare: 0n };
  });

  function instance(name: string) {
    const view = counted(store);
    const runner = new ProjectionRunner(view.store, ds, [taggedProjection(name)], {
      batchSize: 10,
      retryDelayMs: 50,
      leadership: { databaseUrl: db.url, intervalMs: 200 },
    });
    running.push(runner);
    return { runner, subscriptions: view.subscriptions };
  }

  async function append(count: number) {
    for (let i = 0; i < count; i++) {
      const r = await store.appendToStream(`led-${i % 4}`, [ev(i)]);
      if (comparePositions(r.position, head) > 0) head = r.position;
    }
  }

  async function appliedBy(): Promise<Record<string, number>> {
    const rows: { runner: string; n: number }[] = await ds.query(
      'SELECT runner, count(*)::int AS n FROM test_led_applied GROUP BY runner',
    );
    return Object.fromEntries(rows.map((r) => [r.runner, r.n]));
  }

  async function until(check: () => boolean, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('runs the projection in one instance only; the other reads no log and still sees each write applied', async () => {
    const a = instance('a');
    a.runner.start();
    await until(() => a.runner.leads('test_led'), 5000);
    const b = instance('b');
    b.runner.start();
    await append(40);
    // The follower learns the position from the leader's commits, without running the projection.
    expect(await b.runner.waitFor(head, ['test_led'], 5000)).toBe(true);
    expect(await a.runner.waitFor(head, ['test_led'], 5000)).toBe(true);
    expect(b.runner.leads('test_led')).toBe(false);
    expect(b.subscriptions()).toBe(0);
    expect(await appliedBy()).toEqual({ a: 40 });
  });

  it('tells a follower’s listeners of the projection’s batches, once each, from the log', async () => {
    const a = instance('a');
    a.runner.start();
    await until(() => a.runner.leads('test_led'), 5000);
    const b = instance('b');
    const heard: string[] = [];
    const all: string[] = [];
    b.runner.onCommitted((_name, events) => heard.push(...events.map((e) => e.id)), ['test_led']);
    b.runner.onCommitted((_name, events) => all.push(...events.map((e) => e.id)));
    b.runner.start();
    await append(1); // the follower learns where the projection is
    expect(await b.runner.waitFor(head, ['test_led'], 5000)).toBe(true);
    await append(25);
    expect(await b.runner.waitFor(head, ['test_led'], 5000)).toBe(true);
    await until(() => heard.length >= 25, 5000);
    const applied: { event_id: string }[] = await ds.query(
      'SELECT event_id FROM test_led_applied ORDER BY event_id',
    );
    const expected = applied.map((r) => r.event_id);
    // Everything after the first event, each once; a listener of every projection hears only its own runner.
    expect(new Set(heard).size).toBe(heard.length);
    expect(heard.length).toBe(25);
    for (const id of heard) expect(expected).toContain(id);
    expect(all).toEqual([]);
  });

  it('hands the projection to the other instance when the leader stops, within the contention interval', async () => {
    const a = instance('a');
    a.runner.start();
    await until(() => a.runner.leads('test_led'), 5000);
    const b = instance('b');
    b.runner.start();
    await append(10);
    expect(await b.runner.waitFor(head, ['test_led'], 5000)).toBe(true);

    const stoppedAt = Date.now();
    await a.runner.stop();
    await until(() => b.runner.leads('test_led'), 5000);
    const takeoverMs = Date.now() - stoppedAt;
    await append(10);
    expect(await b.runner.waitFor(head, ['test_led'], 5000)).toBe(true);
    expect(await appliedBy()).toEqual({ a: 10, b: 10 });
    expect(takeoverMs).toBeLessThan(5000);
  });

  it('gives up leadership when its lock connection is terminated, and the events are applied exactly once', async () => {
    const a = instance('a');
    a.runner.start();
    await until(() => a.runner.leads('test_led'), 5000);
    const b = instance('b');
    b.runner.start();
    const writing = append(60);
    await new Promise((r) => setTimeout(r, 50));
    // The leader's session (holding the advisory lock) is terminated mid-stream.
    const leaderPid = (
      await ds.query(
        `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()`,
      )
    )[0].pid as number;
    await ds.query('SELECT pg_terminate_backend($1)', [leaderPid]);
    await writing;
    expect(await a.runner.waitFor(head, ['test_led'], 8000)).toBe(true);
    expect(await b.runner.waitFor(head, ['test_led'], 8000)).toBe(true);
    const counts = await appliedBy();
    expect((counts.a ?? 0) + (counts.b ?? 0)).toBe(60);
    const [{ distinct }] = await ds.query(
      'SELECT count(DISTINCT event_id)::int AS distinct FROM test_led_applied',
    );
    expect(distinct).toBe(60);
    // One of them leads again (a reconnected, or b took over).
    await until(() => a.runner.leads('test_led') || b.runner.leads('test_led'), 5000);
  });
});
