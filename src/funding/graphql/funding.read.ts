import type { RecordedEvent } from '@iap/event-store';
import type { Queryable } from '@iap/projections';
import type { FundingEvent } from '../domain/funding.js';
import {
  ALLOCATIONS_TABLE,
  COMMITMENTS_TABLE,
  SPEND_TABLE,
  YEARS_TABLE,
} from '../projections/funding.projection.js';
import {
  type AllocationRow,
  type CommitmentRow,
  type MatchRow,
  RowsInMemory,
  type SpendRow,
  type YearRow,
  applyFundingEvent,
  newYear,
} from '../projections/funding.rows.js';
import type {
  CommitmentType,
  FundingStreamAllocationType,
  FundingYearType,
  MatchFundingType,
  QuarterSpendType,
} from './funding.types.js';
import type { MatchFundingKindEnum } from './funding.types.js';
import { spendRate } from '../domain/money.js';

/** Reads of the funding read models (bigint pence come back from PostgreSQL as strings: made numbers here). */

const YEAR_COLUMNS =
  'area_code, year, allocated_pence, committed_pence, spent_pence, match_cash_pence, match_in_kind_pence, overspend_approved_pence, revision';

export function yearKey(areaCode: string, year: string): string {
  return `${areaCode}|${year}`;
}

function splitKeys(keys: readonly string[]): [string[], string[]] {
  const areas: string[] = [];
  const years: string[] = [];
  for (const k of keys) {
    const [area, year] = k.split('|');
    areas.push(area);
    years.push(year);
  }
  return [areas, years];
}

/** Rows whose (area_code, year) is one of `keys`. */
const KEYED = 'WHERE (area_code, year) IN (SELECT a, y FROM unnest($1::text[], $2::text[]) AS k(a, y))';

function toYear(r: YearRow): FundingYearType {
  const allocatedPence = Number(r.allocated_pence);
  const committedPence = Number(r.committed_pence);
  const spentPence = Number(r.spent_pence);
  const overspendApprovedPence = Number(r.overspend_approved_pence);
  return {
    areaCode: r.area_code,
    year: r.year,
    allocatedPence,
    committedPence,
    spentPence,
    matchCashPence: Number(r.match_cash_pence),
    matchInKindPence: Number(r.match_in_kind_pence),
    overspendApprovedPence,
    remainingPence: allocatedPence - spentPence,
    uncommittedPence: allocatedPence + overspendApprovedPence - committedPence,
    spendRate: spendRate(spentPence, allocatedPence),
    revision: Number(r.revision),
  };
}

/**
 * An area's funding in one year as its funding stream's events wrote it, folded by the projection's own
 * `applyFundingEvent`: what a funding mutation answers while the read model catches up (see ReadYourWrites). Its
 * nested lists travel with it (`written`), so that the nested fields answer from the events too.
 */
export function fundingYearWritten(
  stream: readonly RecordedEvent[],
  areaCode: string,
  year: string,
): FundingYearType {
  const rows = {
    years: new RowsInMemory<YearRow>(YEARS_TABLE.key),
    allocations: new RowsInMemory<AllocationRow>(ALLOCATIONS_TABLE.key),
    commitments: new RowsInMemory<CommitmentRow>(COMMITMENTS_TABLE.key),
    spend: new RowsInMemory<SpendRow>(SPEND_TABLE.key),
    match: [] as MatchRow[],
  };
  for (const e of stream as unknown as readonly (RecordedEvent & FundingEvent)[]) applyFundingEvent(rows, e);
  const revision = stream.length > 0 ? stream[stream.length - 1].revision.toString() : '0';
  const inYear = <R extends { year: string }>(list: readonly R[]) => list.filter((r) => r.year === year);
  const byText =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    ...toYear({
      ...(rows.years.get({ area_code: areaCode, year }) ?? newYear(areaCode, year, '')),
      revision,
    }),
    written: {
      byStream: inYear(rows.allocations.all())
        .map(toAllocation)
        .sort(byText((a) => a.fundingStream)),
      commitments: inYear(rows.commitments.all())
        .map(toCommitment)
        .sort(byText((c) => c.actionId)),
      spend: inYear(rows.spend.all())
        .map(toSpend)
        .sort(byText((q) => `${q.quarter}|${q.actionId}`)),
      match: inYear(rows.match).map(toMatch),
    },
  };
}

export async function fundingYearsByKey(
  db: Queryable,
  keys: readonly string[],
): Promise<(FundingYearType | null)[]> {
  const rows: YearRow[] = await db.query(
    `SELECT ${YEAR_COLUMNS} FROM funding_years ${KEYED}`,
    splitKeys(keys),
  );
  const found = new Map(rows.map((r) => [yearKey(r.area_code, r.year), toYear(r)]));
  return keys.map((k) => found.get(k) ?? null);
}

export async function fundingYearsByArea(
  db: Queryable,
  areaCodes: readonly string[],
): Promise<FundingYearType[][]> {
  const rows: YearRow[] = await db.query(
    `SELECT ${YEAR_COLUMNS} FROM funding_years WHERE area_code = ANY($1) ORDER BY area_code, year`,
    [areaCodes],
  );
  const groups = new Map<string, FundingYearType[]>();
  for (const r of rows) {
    const list = groups.get(r.area_code) ?? [];
    list.push(toYear(r));
    groups.set(r.area_code, list);
  }
  return areaCodes.map((c) => groups.get(c) ?? []);
}

function grouped<R extends { area_code: string; year: string }, T>(
  keys: readonly string[],
  rows: readonly R[],
  map: (r: R) => T,
): T[][] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = yearKey(r.area_code, r.year);
    const list = groups.get(k) ?? [];
    list.push(map(r));
    groups.set(k, list);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

function toAllocation(r: AllocationRow): FundingStreamAllocationType {
  return { fundingStream: r.funding_stream, allocatedPence: Number(r.allocated_pence) };
}

function toCommitment(r: CommitmentRow): CommitmentType {
  return {
    actionId: r.action_id,
    committedPence: Number(r.committed_pence),
    spentPence: Number(r.spent_pence),
  };
}

function toSpend(r: SpendRow): QuarterSpendType {
  return {
    actionId: r.action_id,
    quarter: r.quarter,
    amountPence: Number(r.amount_pence),
    originalPence: Number(r.original_pence),
    corrections: r.corrections,
    note: r.note,
    reportedAt: r.reported_at,
    correctedAt: r.corrected_at,
  };
}

function toMatch(r: MatchRow): MatchFundingType {
  return {
    matchId: r.match_id,
    partnerId: r.partner_id,
    actionId: r.action_id,
    year: r.year,
    kind: r.kind as MatchFundingKindEnum,
    amountPence: Number(r.amount_pence),
    description: r.description,
    recordedAt: r.recorded_at,
  };
}

export async function allocationsByKey(
  db: Queryable,
  keys: readonly string[],
): Promise<FundingStreamAllocationType[][]> {
  const rows: AllocationRow[] = await db.query(
    `SELECT area_code, year, funding_stream, allocated_pence FROM funding_allocations ${KEYED} ORDER BY funding_stream`,
    splitKeys(keys),
  );
  return grouped(keys, rows, toAllocation);
}

export async function commitmentsByKey(db: Queryable, keys: readonly string[]): Promise<CommitmentType[][]> {
  const rows: CommitmentRow[] = await db.query(
    `SELECT area_code, year, action_id, committed_pence, spent_pence FROM funding_commitments ${KEYED} ORDER BY action_id`,
    splitKeys(keys),
  );
  return grouped(keys, rows, toCommitment);
}

export async function spendByKey(db: Queryable, keys: readonly string[]): Promise<QuarterSpendType[][]> {
  const rows: SpendRow[] = await db.query(
    `SELECT area_code, year, action_id, quarter, amount_pence, original_pence, corrections, note, reported_at, corrected_at
       FROM funding_spend ${KEYED} ORDER BY quarter, action_id`,
    splitKeys(keys),
  );
  return grouped(keys, rows, toSpend);
}

export async function matchByKey(db: Queryable, keys: readonly string[]): Promise<MatchFundingType[][]> {
  const rows: MatchRow[] = await db.query(
    `SELECT area_code, year, match_id, partner_id, action_id, kind, amount_pence, description, recorded_at
       FROM funding_match ${KEYED} ORDER BY recorded_at, match_id`,
    splitKeys(keys),
  );
  return grouped(keys, rows, toMatch);
}

/** An area's spend reported for a quarter (`2019-20 Q3`), in pence, as currently corrected (from the read model). */
export async function spendForQuarter(db: Queryable, areaCode: string, quarter: string): Promise<number> {
  const [row]: { total: string }[] = await db.query(
    'SELECT COALESCE(SUM(amount_pence), 0)::bigint AS total FROM funding_spend WHERE area_code = $1 AND quarter = $2',
    [areaCode, quarter],
  );
  return Number(row.total);
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
  db: Queryable,
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
export async function grantAllocations(db: Queryable): Promise<GrantAllocation[]> {
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
export async function yearsWithGrant(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ year: string }[]>(
    'SELECT DISTINCT year FROM funding_years WHERE allocated_pence > 0 ORDER BY year',
  );
  return rows.map((r) => r.year);
}
