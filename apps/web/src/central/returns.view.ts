import { parseFinancialQuarter, parseFinancialYear, quartersOf } from '../../../../src/shared/periods.js';

/**
 * The central team's view of the pilots' quarterly returns: the queue of returns waiting for review, a return
 * beside the quarter before it, and the returns due and overdue (a quarter's return is due a set number of days
 * after the quarter ends).
 */

export type ReturnStatus = 'NOT_SUBMITTED' | 'SUBMITTED' | 'APPROVED' | 'SENT_BACK';

export interface ReturnSnapshot {
  readonly spend: number;
  readonly measurements: number;
  readonly actionsByStatus: readonly { readonly status: string; readonly count: number }[];
}

export interface ReturnRow {
  readonly quarter: string;
  readonly status: ReturnStatus;
  readonly startDate: string;
  readonly endDate: string;
  readonly submittedAt: string | null;
  readonly decidedAt?: string | null;
  readonly submissions?: number;
  readonly note?: string | null;
  readonly comments?: string | null;
  readonly snapshot?: ReturnSnapshot | null;
  readonly revision?: number | null;
}

export interface AreaReturns {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
  readonly fundingYears: readonly { readonly year: string }[];
  readonly returns: readonly ReturnRow[];
}

/** A quarter in a URL: "2019-20 Q3" ↔ "2019-20-Q3". */
export function quarterSlug(quarter: string): string {
  return quarter.replace(' ', '-');
}

/** The quarter a URL names, or undefined when it names none. */
export function quarterFromSlug(slug: string): string | undefined {
  const quarter = slug.replace(/-Q([1-4])$/, ' Q$1');
  return parseFinancialQuarter(quarter) ? quarter : undefined;
}

/** The quarter before one ("2019-20 Q1" → "2018-19 Q4"). */
export function previousQuarter(quarter: string): string {
  const q = parseFinancialQuarter(quarter);
  if (!q) throw new Error(`Not a financial quarter: ${quarter}`);
  if (q.quarter > 1) return `${q.year.name} Q${q.quarter - 1}`;
  const start = q.year.startYear - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')} Q4`;
}

export interface WaitingReturn {
  readonly areaCode: string;
  readonly areaName: string;
  readonly quarter: string;
  readonly slug: string;
  readonly submittedAt: string | null;
  readonly submissions: number;
}

/** The returns submitted and waiting for the central team, the longest waiting first. */
export function waitingReturns(areas: readonly AreaReturns[]): WaitingReturn[] {
  return areas
    .flatMap((a) =>
      a.returns
        .filter((r) => r.status === 'SUBMITTED')
        .map((r) => ({
          areaCode: a.code,
          areaName: a.name,
          quarter: r.quarter,
          slug: quarterSlug(r.quarter),
          submittedAt: r.submittedAt,
          submissions: r.submissions ?? 1,
        })),
    )
    .sort(
      (x, y) =>
        (x.submittedAt ?? '').localeCompare(y.submittedAt ?? '') ||
        x.quarter.localeCompare(y.quarter) ||
        x.areaName.localeCompare(y.areaName),
    );
}

export interface DueReturn {
  readonly areaCode: string;
  readonly areaName: string;
  readonly quarter: string;
  readonly quarterEnd: string;
  readonly dueDate: string;
  readonly overdue: boolean;
  /** NOT_SUBMITTED, or SENT_BACK (to be submitted again). */
  readonly status: ReturnStatus;
}

/** An ISO date `days` days after another. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * For each pilot, the quarters of the years it is funded for that have ended by `today` and whose return is not
 * submitted (none yet, or sent back): each with its due date (`dueDays` after the quarter ends) and whether it
 * is overdue (today is after the due date). Ordered by due date, then pilot.
 */
export function dueReturns(areas: readonly AreaReturns[], today: string, dueDays: number): DueReturn[] {
  const due: DueReturn[] = [];
  for (const area of areas) {
    if (area.kind !== 'PILOT') continue;
    const years = [...new Set(area.fundingYears.map((y) => y.year))].sort();
    for (const name of years) {
      const year = parseFinancialYear(name);
      if (!year) continue;
      for (const quarter of quartersOf(year)) {
        if (quarter.end >= today) continue;
        const status = area.returns.find((r) => r.quarter === quarter.name)?.status ?? 'NOT_SUBMITTED';
        if (status !== 'NOT_SUBMITTED' && status !== 'SENT_BACK') continue;
        const dueDate = addDays(quarter.end, dueDays);
        due.push({
          areaCode: area.code,
          areaName: area.name,
          quarter: quarter.name,
          quarterEnd: quarter.end,
          dueDate,
          overdue: today > dueDate,
          status,
        });
      }
    }
  }
  return due.sort((x, y) => x.dueDate.localeCompare(y.dueDate) || x.areaName.localeCompare(y.areaName));
}

export interface ComparisonRow {
  readonly label: string;
  readonly kind: 'money' | 'number';
  readonly current: number | null;
  readonly previous: number | null;
  readonly change: number | null;
}

const STATUS_ORDER = ['PLANNED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED', 'CANCELLED'];

function statusWords(status: string): string {
  const text = status.replace(/_/g, ' ').toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What a return says beside the quarter before it: spend, measurements, and actions by status (each status
 * either return names). Figures the previous quarter lacks (no return) are null, and so is their change.
 */
export function compareReturns(
  current: ReturnSnapshot | null | undefined,
  previous: ReturnSnapshot | null | undefined,
): ComparisonRow[] {
  const row = (label: string, kind: 'money' | 'number', of: (s: ReturnSnapshot) => number): ComparisonRow => {
    const c = current ? of(current) : null;
    const p = previous ? of(previous) : null;
    return { label, kind, current: c, previous: p, change: c !== null && p !== null ? c - p : null };
  };
  const statuses = [
    ...new Set(
      [...(current?.actionsByStatus ?? []), ...(previous?.actionsByStatus ?? [])].map((s) => s.status),
    ),
  ].sort((a, b) => {
    const [x, y] = [STATUS_ORDER.indexOf(a), STATUS_ORDER.indexOf(b)];
    return (x < 0 ? 99 : x) - (y < 0 ? 99 : y) || a.localeCompare(b);
  });
  const count = (s: ReturnSnapshot, status: string) =>
    s.actionsByStatus.find((a) => a.status === status)?.count ?? 0;
  return [
    row('Spend reported for the quarter', 'money', (s) => s.spend),
    row('Measurements for the quarter', 'number', (s) => s.measurements),
    ...statuses.map((status) =>
      row(`Actions ${statusWords(status).toLowerCase()}`, 'number', (s) => count(s, status)),
    ),
  ];
}
