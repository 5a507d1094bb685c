import type { RecordedEvent } from '@iap/event-store';
import { type FundingEvent, grantAwardedOn } from '../domain/funding.js';

/**
 * The funding read-model rows as events leave them, in one pure fold (`applyFundingEvent`) run by the
 * projection over a batch (into the tables) and by the funding mutations' answers over a stream while the read
 * model catches up (`funding.read.ts`, `fundingYearWritten`). Bigint pence come back from PostgreSQL as text:
 * the fold does its sums on numbers (pence stay far below 2^53).
 */

export type YearColumn =
  | 'allocated_pence'
  | 'committed_pence'
  | 'spent_pence'
  | 'match_cash_pence'
  | 'match_in_kind_pence'
  | 'overspend_approved_pence';

export const YEAR_COLUMNS: readonly YearColumn[] = [
  'allocated_pence',
  'committed_pence',
  'spent_pence',
  'match_cash_pence',
  'match_in_kind_pence',
  'overspend_approved_pence',
];

type Pence = number | string;

/** A row of `funding_years`: an area's running totals in one financial year. */
export interface YearRow extends Record<string, unknown>, Record<YearColumn, Pence> {
  area_code: string;
  year: string;
  revision: string;
}

/** A row of `funding_allocations`: what one funding stream gives an area in a year. */
export interface AllocationRow extends Record<string, unknown> {
  area_code: string;
  year: string;
  funding_stream: string;
  allocated_pence: Pence;
  /**
   * When the allocation was awarded: midnight UTC on the earliest award date of the money in it (its grants'
   * `awardedOn`, and for money reprofiled into it, the award date of the allocation it came from).
   */
  awarded_at: Date | string;
}

/** A row of `funding_commitments`: what an action has committed and spent in a year. */
export interface CommitmentRow extends Record<string, unknown> {
  area_code: string;
  year: string;
  action_id: string;
  committed_pence: Pence;
  spent_pence: Pence;
}

/** A row of `funding_spend`: an action's spend in a quarter. */
export interface SpendRow extends Record<string, unknown> {
  area_code: string;
  action_id: string;
  quarter: string;
  year: string;
  amount_pence: Pence;
  original_pence: Pence;
  corrections: number;
  note: string;
  reported_at: Date;
  corrected_at: Date | null;
}

/** A row of `funding_match` (never changed once recorded). */
export interface MatchRow {
  match_id: string;
  area_code: string;
  partner_id: string;
  action_id: string | null;
  year: string;
  kind: string;
  amount_pence: Pence;
  description: string;
  recorded_at: Date;
}

/** Rows by key, as the fold left them so far (a projection's `VersionedRows` is one). */
export interface RowsByKey<R> {
  get(key: Partial<R>): R | undefined;
  put(row: R, at: Date, isNew?: boolean): void;
}

export interface FundingRows {
  years: RowsByKey<YearRow>;
  allocations: RowsByKey<AllocationRow>;
  commitments: RowsByKey<CommitmentRow>;
  spend: RowsByKey<SpendRow>;
  /** The match funding the fold recorded, in log order. */
  match: MatchRow[];
}

/** Rows kept by key in a map: the fold's store where no table stands behind it. */
export class RowsInMemory<R extends Record<string, unknown>> implements RowsByKey<R> {
  private readonly rows = new Map<string, R>();

  constructor(private readonly key: readonly string[]) {}

  private keyOf(row: Partial<R>): string {
    return JSON.stringify(this.key.map((k) => String(row[k])));
  }

  get(key: Partial<R>): R | undefined {
    return this.rows.get(this.keyOf(key));
  }

  put(row: R): void {
    this.rows.set(this.keyOf(row), row);
  }

  /** Every row, in the order each was first put. */
  all(): R[] {
    return [...this.rows.values()];
  }
}

const pence = (v: Pence): number => Number(v);

/**
 * An award date as the `awarded_at` instant: midnight UTC on that date, so that the instant's ISO date (what
 * the 360Giving export publishes) is the award date whatever the time of year.
 */
export function awardInstant(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

/** Folds one funding event into the rows it changes. */
export function applyFundingEvent(rows: FundingRows, e: RecordedEvent & FundingEvent): void {
  const area = e.data.areaCode;
  const at = e.recordedAt;
  const revision = e.revision.toString();
  const addToYear = (year: string, column: YearColumn, amount: number) => {
    const row = rows.years.get({ area_code: area, year }) ?? newYear(area, year, revision);
    rows.years.put({ ...row, [column]: pence(row[column]) + amount, revision }, at);
  };
  // An allocation is awarded on the earliest award date of the money in it: its grants' award dates, and for
  // money moved in by reprofiling, the award date of the allocation it came from.
  const addToStream = (year: string, stream: string, amount: number, awardedAt: Date) => {
    const key = { area_code: area, year, funding_stream: stream };
    const row = rows.allocations.get(key);
    const earliest = row && new Date(row.awarded_at) <= awardedAt ? row.awarded_at : awardedAt;
    rows.allocations.put(
      { ...key, allocated_pence: pence(row?.allocated_pence ?? 0) + amount, awarded_at: earliest },
      at,
    );
  };
  const awardedAtOf = (year: string, stream: string): Date => {
    const row = rows.allocations.get({ area_code: area, year, funding_stream: stream });
    return row ? new Date(row.awarded_at) : at;
  };
  // Spend counts against a commitment only once the action has one.
  const addSpend = (year: string, actionId: string, amount: number) => {
    addToYear(year, 'spent_pence', amount);
    const row = rows.commitments.get({ area_code: area, year, action_id: actionId });
    if (row) rows.commitments.put({ ...row, spent_pence: pence(row.spent_pence) + amount }, at);
  };
  switch (e.type) {
    case 'GrantAllocated': {
      const { year, fundingStream, amountPence } = e.data;
      addToYear(year, 'allocated_pence', amountPence);
      addToStream(year, fundingStream, amountPence, awardInstant(grantAwardedOn(e.data, at)));
      break;
    }
    case 'AllocationReprofiled': {
      const { fromYear, toYear, fundingStream, amountPence } = e.data;
      addToYear(fromYear, 'allocated_pence', -amountPence);
      const awardedAt = awardedAtOf(fromYear, fundingStream);
      addToStream(fromYear, fundingStream, -amountPence, awardedAt);
      addToYear(toYear, 'allocated_pence', amountPence);
      addToStream(toYear, fundingStream, amountPence, awardedAt);
      break;
    }
    case 'AllocationReduced': {
      const { year, fundingStream, amountPence } = e.data;
      addToYear(year, 'allocated_pence', -amountPence);
      addToStream(year, fundingStream, -amountPence, awardedAtOf(year, fundingStream));
      break;
    }
    case 'OverspendApproved':
      addToYear(e.data.year, 'overspend_approved_pence', e.data.amountPence);
      break;
    case 'FundsCommitted': {
      const { actionId, year, amountPence } = e.data;
      addToYear(year, 'committed_pence', amountPence);
      const key = { area_code: area, year, action_id: actionId };
      const row = rows.commitments.get(key) ?? { ...key, committed_pence: 0, spent_pence: 0 };
      rows.commitments.put({ ...row, committed_pence: pence(row.committed_pence) + amountPence }, at);
      break;
    }
    case 'SpendReported': {
      const { actionId, quarter, year, amountPence, note } = e.data;
      rows.spend.put(
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
      const row = rows.spend.get({ area_code: area, action_id: actionId, quarter });
      if (!row)
        throw new Error(
          `SpendCorrected for ${area} ${actionId} ${quarter}, which the read model does not hold`,
        );
      rows.spend.put(
        { ...row, amount_pence: amountPence, corrections: Number(row.corrections) + 1, corrected_at: at },
        at,
      );
      addSpend(year, actionId, amountPence - previousPence);
      break;
    }
    case 'MatchFundingRecorded': {
      const { matchId, partnerId, actionId, year, kind, amountPence, description } = e.data;
      rows.match.push({
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
}

/** A year with nothing in it yet. */
export function newYear(areaCode: string, year: string, revision: string): YearRow {
  const row = { area_code: areaCode, year, revision } as YearRow;
  for (const c of YEAR_COLUMNS) row[c] = 0;
  return row;
}
