import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore, type RecordedEvent } from '@iap/event-store';
import {
  ALL_EVENTS,
  AsOfViews,
  isVersionBookkeeping,
  type AsOfSnapshot,
  type Projection,
  ProjectionRunner,
  rebuildProjections,
} from '@iap/projections';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { areaStream } from '../src/areas/domain/area.js';
import { replaySnapshot } from './support/replay-snapshot.js';
import { untilLogShowsAll } from '../libs/event-store/src/testing/readable.js';
import type { TestApp } from './support/test-app.js';
import { startSeededApp } from './support/seeded-app.js';

/**
 * "As it stood then" is answered from history tables (every version of every row, valid from one event's
 * instant to the next's) through views, not by replaying the log. This checks that claim against the
 * definition: at many instants across the demo programme, every table the views answer for must hold exactly
 * the rows that replaying the events recorded up to that instant through the same projections gives. It is
 * checked twice: with the history the live runner wrote (batches as events arrived), and after a rebuild that
 * applies the whole log as one batch (so every intermediate version comes from one fold in memory).
 */
describe('asOf answers from history exactly as a replay of the log would', () => {
  let t: TestApp;
  let db: DataSource;
  let store: EventStore;
  let projections: readonly Projection[];
  let views: AsOfViews;
  let events: RecordedEvent[];
  let instants: Date[];

  /** A table's columns as the views give them (a live row's bookkeeping of its version is not one of them). */
  const columns = new Map<string, string>();
  async function columnsOf(table: string): Promise<string> {
    if (!columns.has(table)) {
      const all: { name: string }[] = await db.query(
        `SELECT attname AS name FROM pg_attribute
          WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [`public."${table}"`],
      );
      const names = new Set(all.map((c) => c.name));
      columns.set(
        table,
        all
          .filter((c) => !isVersionBookkeeping(c.name, names))
          .map((c) => `t."${c.name}"`)
          .join(', '),
      );
    }
    return columns.get(table)!;
  }

  async function dump(q: AsOfSnapshot | DataSource, table: string): Promise<string[]> {
    const rows: { r: string }[] = await q.query(
      `SELECT ROW(${await columnsOf(table)})::text AS r FROM "${table}" t ORDER BY 1`,
    );
    return rows.map((x) => x.r);
  }

  async function compareAt(instant: Date): Promise<number> {
    const upTo = events.filter((e) => e.recordedAt.getTime() <= instant.getTime());
    const replayed = await replaySnapshot(
      db,
      projections.filter((p) => !p.eventTypes.includes(ALL_EVENTS)),
      upTo,
    );
    const fromHistory = await views.open(instant);
    let rows = 0;
    try {
      for (const table of views.tables) {
        const expected = await dump(replayed, table);
        const actual = await dump(fromHistory, table);
        expect({ instant: instant.toISOString(), table, rows: actual }).toEqual({
          instant: instant.toISOString(),
          table,
          rows: expected,
        });
        rows += expected.length;
      }
    } finally {
      await replayed.release();
      await fromHistory.release();
    }
    return rows;
  }

  beforeAll(async () => {
    ({ t, db, store, projections } = await startSeededApp());
    await untilLogShowsAll(store, db);
    events = await store.readAll({ fromPosition: 'start', maxCount: 1_000_000 });
    const last = events[events.length - 1];
    expect(await t.app.get(ProjectionRunner).waitFor(last.position, undefined, 60_000)).toBe(true);
    views = new AsOfViews(db, projections);
    // Instants spread over the log: each at an event's own millisecond and one millisecond before it (where
    // the event is not yet in), so versions are checked at both of their edges; plus before the first event
    // and after the last.
    const at = [...new Set(events.map((e) => e.recordedAt.getTime()))].sort((a, b) => a - b);
    const picks = Array.from({ length: 12 }, (_, i) => at[Math.floor(((i + 0.5) * at.length) / 12)]);
    instants = [
      new Date(at[0] - 1),
      ...picks.flatMap((ms) => [new Date(ms - 1), new Date(ms)]),
      new Date(at[at.length - 1]),
    ];
  }, 240_000);

  afterAll(async () => {
    await views?.close();
    await t?.close();
  });

  it('covers every table a projection answers for at an instant, and the demo log spans many instants', () => {
    expect(views.tables).toEqual(
      expect.arrayContaining([
        'actions',
        'area_action_counts',
        'funding_years',
        'funding_spend',
        'measurements',
        'area_indicators',
        'periodic_returns',
        'learning_items',
        'learning_adoption_counts_by_pilot',
      ]),
    );
    expect(new Set(events.map((e) => e.recordedAt.getTime())).size).toBeGreaterThan(100);
  });

  it('with the history written by the live runner', async () => {
    let rows = 0;
    for (const instant of instants) rows += await compareAt(instant);
    expect(rows).toBeGreaterThan(1000);
  }, 300_000);

  it('with the history of a rebuild that applied the whole log as one batch', async () => {
    await rebuildProjections(
      store,
      db,
      projections.filter((p) => !p.eventTypes.includes(ALL_EVENTS)),
      { pageSize: 1_000_000 },
    );
    for (const instant of instants) await compareAt(instant);
  }, 300_000);

  it('answers the present from history as the live tables do', async () => {
    const now = await views.open(new Date(Date.now() + 60_000));
    try {
      for (const table of views.tables) {
        expect({ table, rows: await dump(now, table) }).toEqual({ table, rows: await dump(db, table) });
      }
    } finally {
      await now.release();
    }
  });

  it('an asOf waits until the read models hold every event the log does, and says so when they cannot', async () => {
    const runner = t.app.get(ProjectionRunner);
    const query = () =>
      t.gql<{ area: { name: string } | null }>(
        `query($asOf: DateTime) { area(code: "E06009999", asOf: $asOf) { name } }`,
        { asOf: new Date(Date.now() + 60_000).toISOString() },
      );
    await runner.stop();
    try {
      await store.appendToStream(areaStream('E06009999'), [
        {
          id: randomUUID(),
          type: 'AreaRegistered',
          data: { code: 'E06009999', name: 'Late Borough', kind: 'NON_PILOT', region: 'London' },
          metadata: { actor: { subject: 'as-of-test', name: 'asOf test', role: 'CENTRAL' } } as never,
        },
      ]);
      const stalled = await query();
      expect(stalled.errors?.[0]?.extensions.code).toBe('UNAVAILABLE');
    } finally {
      runner.start();
    }
    const answered = await query();
    expect(answered.errors).toBeUndefined();
    expect(answered.data?.area?.name).toBe('Late Borough');
  }, 60_000);
});
