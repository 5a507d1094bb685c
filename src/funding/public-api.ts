import { type EventStore, fold, loadStream } from '@iap/event-store';
import type { DataSource } from 'typeorm';
import { fundingDecider, fundingStreamId as streamOf } from './domain/funding.js';

/** What other contexts may use from the funding context. */

/** An area's spend reported for a quarter (`2019-20 Q3`), in pence, as currently corrected (from the read model). */
export async function spendForQuarter(db: DataSource, areaCode: string, quarter: string): Promise<number> {
  const [row]: { total: string }[] = await db.query(
    'SELECT COALESCE(SUM(amount_pence), 0)::bigint AS total FROM funding_spend WHERE area_code = $1 AND quarter = $2',
    [areaCode, quarter],
  );
  return Number(row.total);
}

/**
 * An area's spend reported for a quarter, in pence, as currently corrected, read from its funding stream
 * (strongly consistent: every spend report appended so far counts, whether or not the read model has it yet).
 */
export async function loadSpendForQuarter(
  store: EventStore,
  areaCode: string,
  quarter: string,
): Promise<number> {
  const state = fold(fundingDecider, await loadStream(store, streamOf(areaCode)));
  let total = 0;
  for (const [key, report] of state.spend) if (key.endsWith(`|${quarter}`)) total += report.amountPence;
  return total;
}

export interface FundingTotals {
  readonly areaCode: string;
  readonly year: string;
  readonly allocatedPence: number;
  readonly committedPence: number;
  readonly spentPence: number;
  readonly matchCashPence: number;
  readonly matchInKindPence: number;
  readonly overspendApprovedPence: number;
}

/** Funding totals of several areas for a year, from the read model (`db`: live pool or as-of snapshot). */
export async function fundingTotals(
  db: { query<T>(sql: string, params?: unknown[]): Promise<T> },
  year: string,
  areaCodes: readonly string[],
): Promise<FundingTotals[]> {
  const rows = await db.query<Record<string, string>[]>(
    `SELECT area_code AS "areaCode", year, allocated_pence AS "allocatedPence", committed_pence AS "committedPence",
            spent_pence AS "spentPence", match_cash_pence AS "matchCashPence",
            match_in_kind_pence AS "matchInKindPence", overspend_approved_pence AS "overspendApprovedPence"
       FROM funding_years WHERE year = $1 AND area_code = ANY($2)`,
    [year, areaCodes],
  );
  return rows.map((r) => ({
    areaCode: r.areaCode,
    year: r.year,
    allocatedPence: Number(r.allocatedPence),
    committedPence: Number(r.committedPence),
    spentPence: Number(r.spentPence),
    matchCashPence: Number(r.matchCashPence),
    matchInKindPence: Number(r.matchInKindPence),
    overspendApprovedPence: Number(r.overspendApprovedPence),
  }));
}

export { fundingStreamId } from './domain/funding.js';
export { SPEND_RATE_DESCRIPTION, spendRate } from './domain/money.js';
export { AreaFundingCommand, type FundingRequest } from './commands/funding.command.js';

/** A grant allocation of the read model: one per area, financial year and funding stream. */
export interface GrantAllocation {
  readonly areaCode: string;
  readonly year: string;
  readonly fundingStream: string;
  readonly allocatedPence: number;
  /** When it was awarded: midnight UTC on the earliest award date of the money in it (see AllocationRow). */
  readonly awardedAt: Date;
}

/** Every allocation with money in it (after reprofiling and clawback), by year, area and funding stream. */
export async function grantAllocations(db: {
  query<T>(sql: string, params?: unknown[]): Promise<T>;
}): Promise<GrantAllocation[]> {
  const rows = await db.query<
    { area_code: string; year: string; funding_stream: string; allocated_pence: string; awarded_at: Date }[]
  >(
    `SELECT area_code, year, funding_stream, allocated_pence, awarded_at FROM funding_allocations
      WHERE allocated_pence > 0 ORDER BY year, area_code, funding_stream`,
  );
  return rows.map((r) => ({
    areaCode: r.area_code,
    year: r.year,
    fundingStream: r.funding_stream,
    allocatedPence: Number(r.allocated_pence),
    awardedAt: r.awarded_at,
  }));
}

/** The financial years any grant is allocated in, oldest first. */
export async function yearsWithGrant(db: {
  query<T>(sql: string, params?: unknown[]): Promise<T>;
}): Promise<string[]> {
  const rows = await db.query<{ year: string }[]>(
    'SELECT DISTINCT year FROM funding_years WHERE allocated_pence > 0 ORDER BY year',
  );
  return rows.map((r) => r.year);
}
