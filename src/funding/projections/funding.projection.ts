import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  type AsOfSql,
  type Projection,
  type ProjectionContext,
  ReadModelProjection,
  VersionedRows,
  type VersionedTableSpec,
} from '@iap/projections';
import { FUNDING_EVENT_TYPES, type FundingEvent } from '../domain/funding.js';
import { setAreaRevisions } from '../../shared/area-revisions.js';

type YearColumn =
  | 'allocated_pence'
  | 'committed_pence'
  | 'spent_pence'
  | 'match_cash_pence'
  | 'match_in_kind_pence'
  | 'overspend_approved_pence';

type Row = Record<string, unknown>;
/** pg returns bigint as text: sums are done on numbers (pence stay far below 2^53). */
const pence = (v: unknown): number => Number(v);

const YEARS_TABLE: VersionedTableSpec = {
  table: 'funding_years',
  key: ['area_code', 'year'],
  columns: [
    ['area_code', 'text'],
    ['year', 'text'],
    ['allocated_pence', 'bigint'],
    ['committed_pence', 'bigint'],
    ['spent_pence', 'bigint'],
    ['match_cash_pence', 'bigint'],
    ['match_in_kind_pence', 'bigint'],
    ['overspend_approved_pence', 'bigint'],
    ['revision', 'bigint'],
  ],
  // Every year row of an area takes the area's latest revision (setAreaRevisions).
  overwritten: ['revision'],
  scope: ['area_code'],
  // An area has a few years: its scope index finds one of them as well.
  historyKeyIndex: false,
};
const ALLOCATIONS_TABLE: VersionedTableSpec = {
  table: 'funding_allocations',
  key: ['area_code', 'year', 'funding_stream'],
  columns: [
    ['area_code', 'text'],
    ['year', 'text'],
    ['funding_stream', 'text'],
    ['allocated_pence', 'bigint'],
    // When the allocation was first made: its first GrantAllocated (or the reprofiling that moved money into it).
    ['awarded_at', 'timestamptz'],
  ],
};
const COMMITMENTS_TABLE: VersionedTableSpec = {
  table: 'funding_commitments',
  key: ['area_code', 'year', 'action_id'],
  columns: [
    ['area_code', 'text'],
    ['year', 'text'],
    ['action_id', 'text'],
    ['committed_pence', 'bigint'],
    ['spent_pence', 'bigint'],
  ],
  scope: ['area_code'],
};
const SPEND_TABLE: VersionedTableSpec = {
  table: 'funding_spend',
  key: ['area_code', 'action_id', 'quarter'],
  columns: [
    ['area_code', 'text'],
    ['action_id', 'text'],
    ['quarter', 'text'],
    ['year', 'text'],
    ['amount_pence', 'bigint'],
    ['original_pence', 'bigint'],
    ['corrections', 'int'],
    ['note', 'text'],
    ['reported_at', 'timestamptz'],
    ['corrected_at', 'timestamptz'],
  ],
  scope: ['area_code'],
};
/** Every funding table but match funding (whose rows never change) keeps every version of its rows. */
export const FUNDING_VERSIONED_TABLES = [YEARS_TABLE, ALLOCATIONS_TABLE, COMMITMENTS_TABLE, SPEND_TABLE];

/**
 * Funding read models: per area and year the running totals, and beside them allocations by stream,
 * commitments by action, spend by action and quarter (current figure, original figure, corrections) and
 * match funding. Every year row of an area carries the area's funding stream revision (for expectedRevision).
 *
 * A batch is applied as a set: one read of the rows its events touch, its events folded in memory in log
 * order, then one write per table of the rows as the batch leaves them and of every version they had on the
 * way (`<table>_history`, for "as it stood then"), so the tables end exactly as event-by-event application
 * would leave them, whatever the batch boundaries.
 */
@ReadModelProjection()
@Injectable()
export class FundingProjection implements Projection {
  readonly name = 'funding';
  readonly tables = [
    'funding_years',
    'funding_years_history',
    'funding_allocations',
    'funding_allocations_history',
    'funding_commitments',
    'funding_commitments_history',
    'funding_spend',
    'funding_spend_history',
    'funding_match',
  ];
  readonly eventTypes = FUNDING_EVENT_TYPES;

  asOf(sql: AsOfSql): Record<string, string> {
    return {
      // A version keeps the revision of its own event; the stream's revision then is the area's latest.
      funding_years: `SELECT area_code, year, ${YEAR_COLUMNS.join(', ')},
          max(revision) OVER (PARTITION BY area_code) AS revision
        FROM (${sql.current(YEARS_TABLE)}) AS y`,
      funding_allocations: sql.current(ALLOCATIONS_TABLE),
      funding_commitments: sql.current(COMMITMENTS_TABLE),
      funding_spend: sql.current(SPEND_TABLE),
      funding_match: `SELECT * FROM ${sql.live('funding_match')} WHERE recorded_at <= ${sql.at}`,
    };
  }

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const typed = events as unknown as readonly (RecordedEvent & FundingEvent)[];
    const years = new VersionedRows(YEARS_TABLE);
    const allocations = new VersionedRows(ALLOCATIONS_TABLE);
    const commitments = new VersionedRows(COMMITMENTS_TABLE);
    const spend = new VersionedRows(SPEND_TABLE);
    await this.load(typed, ctx, { years, allocations, commitments, spend });
    const areaRevisions = new Map<string, string>();
    const matches: unknown[] = [];

    for (const e of typed) {
      const area = e.data.areaCode;
      const at = e.recordedAt;
      const revision = e.revision.toString();
      const addToYear = (year: string, column: YearColumn, amount: number) => {
        const row = years.get({ area_code: area, year }) ?? {
          area_code: area,
          year,
          ...NO_PENCE,
        };
        years.put({ ...row, [column]: pence(row[column]) + amount, revision }, at);
      };
      const addToStream = (year: string, stream: string, amount: number) => {
        const key = { area_code: area, year, funding_stream: stream };
        const row = allocations.get(key) ?? { ...key, allocated_pence: 0, awarded_at: at };
        allocations.put({ ...row, allocated_pence: pence(row.allocated_pence) + amount }, at);
      };
      // Spend counts against a commitment only once the action has one.
      const addSpend = (year: string, actionId: string, amount: number) => {
        addToYear(year, 'spent_pence', amount);
        const row = commitments.get({ area_code: area, year, action_id: actionId });
        if (row) commitments.put({ ...row, spent_pence: pence(row.spent_pence) + amount }, at);
      };
      switch (e.type) {
        case 'GrantAllocated': {
          const { year, fundingStream, amountPence } = e.data;
          addToYear(year, 'allocated_pence', amountPence);
          addToStream(year, fundingStream, amountPence);
          break;
        }
        case 'AllocationReprofiled': {
          const { fromYear, toYear, fundingStream, amountPence } = e.data;
          addToYear(fromYear, 'allocated_pence', -amountPence);
          addToStream(fromYear, fundingStream, -amountPence);
          addToYear(toYear, 'allocated_pence', amountPence);
          addToStream(toYear, fundingStream, amountPence);
          break;
        }
        case 'AllocationReduced': {
          const { year, fundingStream, amountPence } = e.data;
          addToYear(year, 'allocated_pence', -amountPence);
          addToStream(year, fundingStream, -amountPence);
          break;
        }
        case 'OverspendApproved':
          addToYear(e.data.year, 'overspend_approved_pence', e.data.amountPence);
          break;
        case 'FundsCommitted': {
          const { actionId, year, amountPence } = e.data;
          addToYear(year, 'committed_pence', amountPence);
          const key = { area_code: area, year, action_id: actionId };
          const row = commitments.get(key) ?? { ...key, committed_pence: 0, spent_pence: 0 };
          commitments.put({ ...row, committed_pence: pence(row.committed_pence) + amountPence }, at);
          break;
        }
        case 'SpendReported': {
          const { actionId, quarter, year, amountPence, note } = e.data;
          spend.put(
            {
              area_code: area,
              action_id: actionId,
              quarter,
              year,
              amount_pence: amountPence,
              original_pence: amountPence,
              corrections: 0,
              note,
              reported_at: at,
              corrected_at: null,
            },
            at,
            true,
          );
          addSpend(year, actionId, amountPence);
          break;
        }
        case 'SpendCorrected': {
          const { actionId, quarter, year, amountPence, previousPence } = e.data;
          const row = spend.get({ area_code: area, action_id: actionId, quarter });
          if (!row)
            throw new Error(
              `SpendCorrected for ${area} ${actionId} ${quarter}, which the read model does not hold`,
            );
          spend.put(
            { ...row, amount_pence: amountPence, corrections: Number(row.corrections) + 1, corrected_at: at },
            at,
          );
          addSpend(year, actionId, amountPence - previousPence);
          break;
        }
        case 'MatchFundingRecorded': {
          const { matchId, partnerId, actionId, year, kind, amountPence, description } = e.data;
          matches.push({
            match_id: matchId,
            area_code: area,
            partner_id: partnerId,
            action_id: actionId,
            year,
            kind,
            amount_pence: amountPence,
            description,
            recorded_at: at,
          });
          addToYear(year, kind === 'CASH' ? 'match_cash_pence' : 'match_in_kind_pence', amountPence);
          break;
        }
      }
      areaRevisions.set(area, revision);
    }

    for (const rows of [years, allocations, commitments, spend]) await rows.flush(ctx);
    if (matches.length > 0) {
      await ctx.query(
        `INSERT INTO ${ctx.table('funding_match')} (match_id, area_code, partner_id, action_id, year, kind, amount_pence,
           description, recorded_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(match_id text, area_code text, partner_id text, action_id text,
           year text, kind text, amount_pence bigint, description text, recorded_at timestamptz)`,
        [JSON.stringify(matches)],
      );
    }
    // Every year of the area answers with the stream's revision, whichever year the event touched.
    await setAreaRevisions(ctx, ctx.table('funding_years'), areaRevisions);
  }

  /** Reads, one statement per table, the rows the batch's events may change. */
  private async load(
    events: readonly (RecordedEvent & FundingEvent)[],
    ctx: ProjectionContext,
    t: Record<'years' | 'allocations' | 'commitments' | 'spend', VersionedRows>,
  ): Promise<void> {
    const years: Row[] = [];
    const allocations: Row[] = [];
    const commitments: Row[] = [];
    const spend: Row[] = [];
    for (const e of events) {
      const area_code = e.data.areaCode;
      switch (e.type) {
        case 'GrantAllocated':
        case 'AllocationReduced':
          years.push({ area_code, year: e.data.year });
          allocations.push({ area_code, year: e.data.year, funding_stream: e.data.fundingStream });
          break;
        case 'AllocationReprofiled':
          for (const year of [e.data.fromYear, e.data.toYear]) {
            years.push({ area_code, year });
            allocations.push({ area_code, year, funding_stream: e.data.fundingStream });
          }
          break;
        case 'OverspendApproved':
        case 'MatchFundingRecorded':
          years.push({ area_code, year: e.data.year });
          break;
        case 'FundsCommitted':
        case 'SpendReported':
        case 'SpendCorrected':
          years.push({ area_code, year: e.data.year });
          commitments.push({ area_code, year: e.data.year, action_id: e.data.actionId });
          if (e.type === 'SpendCorrected')
            spend.push({ area_code, action_id: e.data.actionId, quarter: e.data.quarter });
          break;
      }
    }
    await t.years.load(ctx, years);
    await t.allocations.load(ctx, allocations);
    await t.commitments.load(ctx, commitments);
    await t.spend.load(ctx, spend);
  }
}

const YEAR_COLUMNS: readonly YearColumn[] = [
  'allocated_pence',
  'committed_pence',
  'spent_pence',
  'match_cash_pence',
  'match_in_kind_pence',
  'overspend_approved_pence',
];
const NO_PENCE: Record<YearColumn, number> = Object.fromEntries(YEAR_COLUMNS.map((c) => [c, 0])) as Record<
  YearColumn,
  number
>;
