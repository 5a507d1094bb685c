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
import {
  type AllocationRow,
  type CommitmentRow,
  type FundingRows,
  type SpendRow,
  type YearRow,
  YEAR_COLUMNS,
  applyFundingEvent,
} from './funding.rows.js';

type Row = Record<string, unknown>;

export const YEARS_TABLE: VersionedTableSpec = {
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
export const ALLOCATIONS_TABLE: VersionedTableSpec = {
  table: 'funding_allocations',
  key: ['area_code', 'year', 'funding_stream'],
  columns: [
    ['area_code', 'text'],
    ['year', 'text'],
    ['funding_stream', 'text'],
    ['allocated_pence', 'bigint'],
    // When the allocation was awarded: the earliest award date of the money in it (see AllocationRow).
    ['awarded_at', 'timestamptz'],
  ],
};
export const COMMITMENTS_TABLE: VersionedTableSpec = {
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
export const SPEND_TABLE: VersionedTableSpec = {
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
    const tables = {
      years: ctx.rows<YearRow>(YEARS_TABLE),
      allocations: ctx.rows<AllocationRow>(ALLOCATIONS_TABLE),
      commitments: ctx.rows<CommitmentRow>(COMMITMENTS_TABLE),
      spend: ctx.rows<SpendRow>(SPEND_TABLE),
    };
    await this.load(typed, ctx, tables);
    const rows: FundingRows = { ...tables, match: [] };
    const areaRevisions = new Map<string, string>();
    for (const e of typed) {
      applyFundingEvent(rows, e);
      areaRevisions.set(e.data.areaCode, e.revision.toString());
    }

    for (const table of Object.values(tables)) await table.flush(ctx);
    if (rows.match.length > 0) {
      await ctx.query(
        `INSERT INTO ${ctx.table('funding_match')} (match_id, area_code, partner_id, action_id, year, kind, amount_pence,
           description, recorded_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(match_id text, area_code text, partner_id text, action_id text,
           year text, kind text, amount_pence bigint, description text, recorded_at timestamptz)`,
        [JSON.stringify(rows.match)],
      );
    }
    // Every year of the area answers with the stream's revision, whichever year the event touched.
    await setAreaRevisions(ctx, tables.years, areaRevisions);
  }

  /** Reads, one statement per table, the rows the batch's events may change. */
  private async load(
    events: readonly (RecordedEvent & FundingEvent)[],
    ctx: ProjectionContext,
    t: Record<'years' | 'allocations' | 'commitments' | 'spend', VersionedRows<Row>>,
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
