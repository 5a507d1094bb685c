import type { RecordedEvent } from '@iap/event-store';
import type { Queryable } from '@iap/projections';
import type { FundingEvent } from '../domain/funding.js';
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

interface YearRow {
  area_code: string;
  year: string;
  allocated_pence: string | number;
  committed_pence: string | number;
  spent_pence: string | number;
  match_cash_pence: string | number;
  match_in_kind_pence: string | number;
  overspend_approved_pence: string | number;
  revision: string | number;
}

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
 * An area's funding in one year as its funding stream's events wrote it (the sums and lists the projection
 * keeps): what a funding mutation answers while the read model catches up (see ReadYourWrites). Its nested
 * lists travel with it (`written`), so that the nested fields answer from the events too.
 */
export function fundingYearWritten(
  stream: readonly RecordedEvent[],
  areaCode: string,
  year: string,
): FundingYearType {
  const y = {
    area_code: areaCode,
    year,
    allocated_pence: 0,
    committed_pence: 0,
    spent_pence: 0,
    match_cash_pence: 0,
    match_in_kind_pence: 0,
    overspend_approved_pence: 0,
    revision: stream.length > 0 ? Number(stream[stream.length - 1].revision) : 0,
  };
  const byStream = new Map<string, number>();
  const commitments = new Map<string, CommitmentType>();
  const spend = new Map<string, QuarterSpendType>();
  const match: MatchFundingType[] = [];
  const allocate = (stream: string, amount: number) => {
    y.allocated_pence += amount;
    byStream.set(stream, (byStream.get(stream) ?? 0) + amount);
  };
  const spent = (actionId: string, amount: number) => {
    y.spent_pence += amount;
    const c = commitments.get(actionId);
    if (c) c.spentPence += amount;
  };
  for (const e of stream as unknown as readonly (RecordedEvent & FundingEvent)[]) {
    switch (e.type) {
      case 'GrantAllocated':
        if (e.data.year === year) allocate(e.data.fundingStream, e.data.amountPence);
        break;
      case 'AllocationReprofiled':
        if (e.data.fromYear === year) allocate(e.data.fundingStream, -e.data.amountPence);
        if (e.data.toYear === year) allocate(e.data.fundingStream, e.data.amountPence);
        break;
      case 'AllocationReduced':
        if (e.data.year === year) allocate(e.data.fundingStream, -e.data.amountPence);
        break;
      case 'OverspendApproved':
        if (e.data.year === year) y.overspend_approved_pence += e.data.amountPence;
        break;
      case 'FundsCommitted': {
        if (e.data.year !== year) break;
        y.committed_pence += e.data.amountPence;
        const c = commitments.get(e.data.actionId) ?? {
          actionId: e.data.actionId,
          committedPence: 0,
          spentPence: 0,
        };
        commitments.set(e.data.actionId, { ...c, committedPence: c.committedPence + e.data.amountPence });
        break;
      }
      case 'SpendReported': {
        if (e.data.year !== year) break;
        const { actionId, quarter, amountPence, note } = e.data;
        spend.set(`${quarter}|${actionId}`, {
          actionId,
          quarter,
          amountPence,
          originalPence: amountPence,
          corrections: 0,
          note,
          reportedAt: e.recordedAt,
          correctedAt: null,
        });
        spent(actionId, amountPence);
        break;
      }
      case 'SpendCorrected': {
        if (e.data.year !== year) break;
        const { actionId, quarter, amountPence, previousPence } = e.data;
        const row = spend.get(`${quarter}|${actionId}`);
        if (row)
          spend.set(`${quarter}|${actionId}`, {
            ...row,
            amountPence,
            corrections: row.corrections + 1,
            correctedAt: e.recordedAt,
          });
        spent(actionId, amountPence - previousPence);
        break;
      }
      case 'MatchFundingRecorded': {
        const d = e.data;
        if (d.year !== year) break;
        if (d.kind === 'CASH') y.match_cash_pence += d.amountPence;
        else y.match_in_kind_pence += d.amountPence;
        match.push({
          matchId: d.matchId,
          partnerId: d.partnerId,
          actionId: d.actionId,
          year: d.year,
          kind: d.kind as MatchFundingKindEnum,
          amountPence: d.amountPence,
          description: d.description,
          recordedAt: e.recordedAt,
        });
        break;
      }
    }
  }
  const byText =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  return {
    ...toYear(y),
    written: {
      byStream: [...byStream]
        .map(([fundingStream, allocatedPence]) => ({ fundingStream, allocatedPence }))
        .sort(byText((a) => a.fundingStream)),
      commitments: [...commitments.values()].sort(byText((c) => c.actionId)),
      spend: [...spend.values()].sort(byText((q) => `${q.quarter}|${q.actionId}`)),
      match,
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

export async function allocationsByKey(
  db: Queryable,
  keys: readonly string[],
): Promise<FundingStreamAllocationType[][]> {
  const rows: { area_code: string; year: string; funding_stream: string; allocated_pence: string }[] =
    await db.query(
      `SELECT area_code, year, funding_stream, allocated_pence FROM funding_allocations ${KEYED} ORDER BY funding_stream`,
      splitKeys(keys),
    );
  return grouped(keys, rows, (r) => ({
    fundingStream: r.funding_stream,
    allocatedPence: Number(r.allocated_pence),
  }));
}

export async function commitmentsByKey(db: Queryable, keys: readonly string[]): Promise<CommitmentType[][]> {
  const rows: {
    area_code: string;
    year: string;
    action_id: string;
    committed_pence: string;
    spent_pence: string;
  }[] = await db.query(
    `SELECT area_code, year, action_id, committed_pence, spent_pence FROM funding_commitments ${KEYED} ORDER BY action_id`,
    splitKeys(keys),
  );
  return grouped(keys, rows, (r) => ({
    actionId: r.action_id,
    committedPence: Number(r.committed_pence),
    spentPence: Number(r.spent_pence),
  }));
}

export async function spendByKey(db: Queryable, keys: readonly string[]): Promise<QuarterSpendType[][]> {
  const rows: {
    area_code: string;
    year: string;
    action_id: string;
    quarter: string;
    amount_pence: string;
    original_pence: string;
    corrections: number;
    note: string;
    reported_at: Date;
    corrected_at: Date | null;
  }[] = await db.query(
    `SELECT area_code, year, action_id, quarter, amount_pence, original_pence, corrections, note, reported_at, corrected_at
       FROM funding_spend ${KEYED} ORDER BY quarter, action_id`,
    splitKeys(keys),
  );
  return grouped(keys, rows, (r) => ({
    actionId: r.action_id,
    quarter: r.quarter,
    amountPence: Number(r.amount_pence),
    originalPence: Number(r.original_pence),
    corrections: r.corrections,
    note: r.note,
    reportedAt: r.reported_at,
    correctedAt: r.corrected_at,
  }));
}

export async function matchByKey(db: Queryable, keys: readonly string[]): Promise<MatchFundingType[][]> {
  const rows: {
    area_code: string;
    year: string;
    match_id: string;
    partner_id: string;
    action_id: string | null;
    kind: string;
    amount_pence: string;
    description: string;
    recorded_at: Date;
  }[] = await db.query(
    `SELECT area_code, year, match_id, partner_id, action_id, kind, amount_pence, description, recorded_at
       FROM funding_match ${KEYED} ORDER BY recorded_at, match_id`,
    splitKeys(keys),
  );
  return grouped(keys, rows, (r) => ({
    matchId: r.match_id,
    partnerId: r.partner_id,
    actionId: r.action_id,
    year: r.year,
    kind: r.kind as MatchFundingKindEnum,
    amountPence: Number(r.amount_pence),
    description: r.description,
    recordedAt: r.recorded_at,
  }));
}
