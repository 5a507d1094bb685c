import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventStore, type EventData } from '@iap/event-store';
import { type Projection, ProjectionRunner, rebuildProjection } from '@iap/projections';
import { DataSource } from 'typeorm';
import type { TestApp } from './support/test-app.js';
import { startSeededApp } from './support/seeded-app.js';

/**
 * Projections apply a batch of events as a set (one read of the rows it touches, the events folded in memory,
 * one write per table), so this checks the claim that makes that safe: the read models end the same whatever
 * the batch boundaries. The log is the demo programme (written through the real commands, projected live by
 * the runner) plus a few hand-written sequences that put several changes to one row into one batch: spend
 * before and after its commitment, a spend corrected twice, a measurement corrected in the batch that recorded
 * it, an action whose status goes round so that its counts net to nothing. Each projection is rebuilt one
 * event per batch, in batches of 7, and the whole log as one batch; every table must equal the live one.
 */
describe('read models do not depend on batch boundaries', () => {
  let t: TestApp;
  let db: DataSource;
  let store: EventStore;
  let projections: readonly Projection[];
  const live = new Map<string, unknown[]>();

  const meta = { actor: { subject: 'batch-test', name: 'Batch test', role: 'CENTRAL' } };
  const event = (type: string, data: Record<string, unknown>): EventData => ({
    id: randomUUID(),
    type,
    data,
    metadata: meta as EventData['metadata'],
  });

  /** Every row of a table as text, in a stable order: what "equal read models" means here. */
  async function dump(table: string): Promise<unknown[]> {
    const rows: { r: string }[] = await db.query(`SELECT t::text AS r FROM "${table}" t ORDER BY 1`);
    return rows.map((x) => x.r);
  }

  beforeAll(async () => {
    ({ t, db, store, projections } = await startSeededApp());

    // Hand-written sequences, in streams of their own, each appended in one call (so they sit side by side).
    const area = 'E06000008';
    const action = randomUUID();
    const other = randomUUID();
    const year = '2020-21';
    await store.appendToStream(`funding-batch-${area}`, [
      event('GrantAllocated', {
        areaCode: area,
        year,
        fundingStream: 'Batch',
        amountPence: 500_00,
        note: '',
      }),
      event('SpendReported', {
        areaCode: area,
        actionId: action,
        quarter: '2020-21 Q1',
        year,
        amountPence: 10_00,
        note: 'before its commitment',
      }),
      event('FundsCommitted', { areaCode: area, actionId: action, year, amountPence: 300_00 }),
      event('SpendReported', {
        areaCode: area,
        actionId: action,
        quarter: '2020-21 Q2',
        year,
        amountPence: 20_00,
        note: 'after it',
      }),
      event('SpendCorrected', {
        areaCode: area,
        actionId: action,
        quarter: '2020-21 Q2',
        year,
        amountPence: 25_00,
        previousPence: 20_00,
        reason: 'first correction',
      }),
      event('SpendCorrected', {
        areaCode: area,
        actionId: action,
        quarter: '2020-21 Q2',
        year,
        amountPence: 22_00,
        previousPence: 25_00,
        reason: 'second correction',
      }),
      event('AllocationReprofiled', {
        areaCode: area,
        fromYear: year,
        toYear: '2021-22',
        fundingStream: 'Batch',
        amountPence: 100_00,
        reason: 'slipped',
      }),
      event('MatchFundingRecorded', {
        matchId: randomUUID(),
        areaCode: area,
        partnerId: 'p-1',
        actionId: action,
        year,
        kind: 'IN_KIND',
        amountPence: 5_00,
        description: 'rooms',
      }),
    ]);
    const measurementId = randomUUID();
    await store.appendToStream(`outcomes-batch-${area}`, [
      event('MeasurementRecorded', {
        measurementId,
        areaCode: area,
        indicatorCode: 'ESOL_ENROLMENTS',
        periodLabel: '2020-21 Q4',
        periodStart: '2021-01-01',
        periodEnd: '2021-03-31',
        value: 40,
        source: 'batch test',
      }),
      event('MeasurementCorrected', {
        measurementId,
        areaCode: area,
        indicatorCode: 'ESOL_ENROLMENTS',
        value: 41,
        sampleSize: 12,
        reason: 'late registers',
        previousValue: 40,
      }),
      event('BaselineSet', {
        areaCode: area,
        indicatorCode: 'ESOL_ENROLMENTS',
        value: 10,
        date: '2019-04-01',
        source: 'batch test',
      }),
    ]);
    const planned = (id: string, themes: string[]) =>
      event('ActionPlanned', {
        actionId: id,
        areaCode: area,
        title: `Batch action ${id.slice(0, 4)}`,
        description: 'A sequence for the batch test',
        themes,
        leadPartnerId: 'p-1',
        partnerIds: [],
        plannedStart: '2020-04-01',
        plannedEnd: '2021-03-31',
        milestones: [{ milestoneId: randomUUID(), title: 'First', dueDate: '2020-06-30' }],
      });
    await store.appendToStream(`action-${action}`, [
      planned(action, ['ENGLISH_LANGUAGE']),
      event('ActionStarted', { actionId: action, on: '2020-04-02' }),
      event('ActionPaused', { actionId: action, on: '2020-05-01', reason: 'venue' }),
      event('ActionResumed', { actionId: action, on: '2020-05-08' }),
      event('ActionRevised', {
        actionId: action,
        reason: 'widened',
        changes: {
          themes: ['ENGLISH_LANGUAGE', 'EDUCATION_AND_YOUNG_PEOPLE'],
          title: 'Renamed in the batch',
        },
      }),
    ]);
    const last = await store.appendToStream(`action-${other}`, [
      planned(other, ['EDUCATION_AND_YOUNG_PEOPLE']),
      event('ActionCancelled', { actionId: other, on: '2020-04-03', reason: 'merged' }),
    ]);
    // (The last append's position, not a backwards read: that sees only what is below every open transaction.)
    expect(await t.app.get(ProjectionRunner).waitFor(last.position, undefined, 30_000)).toBe(true);
    for (const table of new Set(projections.flatMap((p) => p.tables))) live.set(table, await dump(table));
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('holds the hand-written sequences as event-by-event application would', async () => {
    const [commitment] = await db.query(
      `SELECT committed_pence::int AS c, spent_pence::int AS s FROM funding_commitments WHERE year = '2020-21'
        AND action_id IN (SELECT action_id FROM funding_spend WHERE note = 'after it')`,
    );
    // The spend reported before the commitment existed is not against it; the later one, corrected twice, is.
    expect(commitment).toEqual({ c: 300_00, s: 22_00 });
    const [spend] = await db.query(
      `SELECT amount_pence::int AS a, original_pence::int AS o, corrections FROM funding_spend WHERE note = 'after it'`,
    );
    expect(spend).toEqual({ a: 22_00, o: 20_00, corrections: 2 });
    const counts = await db.query(
      `SELECT status, theme, count FROM area_action_counts WHERE area_code = 'E06000008' AND theme IN ('EDUCATION_AND_YOUNG_PEOPLE', 'ENGLISH_LANGUAGE')`,
    );
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((c: { count: number }) => c.count > 0)).toBe(true);
  });

  for (const pageSize of [1, 7, 100_000]) {
    it(`rebuilding every read model in batches of ${pageSize === 100_000 ? 'the whole log' : pageSize} gives the same rows`, async () => {
      for (const p of projections) {
        await rebuildProjection(store, db, p, { pageSize });
        for (const table of p.tables) {
          expect({ table, rows: await dump(table) }).toEqual({ table, rows: live.get(table) });
        }
      }
    }, 180_000);
  }

  // A rebuild keeps each versioned table's rows in memory across its pages, up to a number of them: beyond it the
  // least recently changed are written out and read back when an event changes them again.
  it('rebuilding every read model with at most two rows per table kept in memory gives the same rows', async () => {
    for (const p of projections) {
      await rebuildProjection(store, db, p, { pageSize: 7, keptRows: 2 });
      for (const table of p.tables) {
        expect({ table, rows: await dump(table) }).toEqual({ table, rows: live.get(table) });
      }
    }
  }, 180_000);
});
