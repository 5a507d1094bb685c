import { BadUserInputError } from '@iap/common';

/**
 * The programme's calendar. Financial years run 1 April to 31 March and are named `2019-20`; quarters are
 * `Q1` (Apr–Jun) to `Q4` (Jan–Mar) and named `2019-20 Q3`. Dates are ISO 8601 calendar dates (`YYYY-MM-DD`).
 */

export const FINANCIAL_YEAR = /^(\d{4})-(\d{2})$/;
export const FINANCIAL_QUARTER = /^(\d{4})-(\d{2}) Q([1-4])$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface FinancialYear {
  readonly name: string;
  readonly startYear: number;
  readonly start: string;
  readonly end: string;
}

export interface FinancialQuarter {
  readonly name: string;
  readonly year: FinancialYear;
  readonly quarter: 1 | 2 | 3 | 4;
  readonly start: string;
  readonly end: string;
}

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function parseFinancialYear(name: string): FinancialYear | null {
  const m = FINANCIAL_YEAR.exec(name);
  if (!m) return null;
  const startYear = Number(m[1]);
  if ((startYear + 1) % 100 !== Number(m[2])) return null;
  return { name, startYear, start: `${startYear}-04-01`, end: `${startYear + 1}-03-31` };
}

const QUARTER_BOUNDS: Record<1 | 2 | 3 | 4, [number, string, number, string]> = {
  1: [0, '04-01', 0, '06-30'],
  2: [0, '07-01', 0, '09-30'],
  3: [0, '10-01', 0, '12-31'],
  4: [1, '01-01', 1, '03-31'],
};

export function parseFinancialQuarter(name: string): FinancialQuarter | null {
  const m = FINANCIAL_QUARTER.exec(name);
  if (!m) return null;
  const year = parseFinancialYear(`${m[1]}-${m[2]}`);
  if (!year) return null;
  const quarter = Number(m[3]) as 1 | 2 | 3 | 4;
  const [so, s, eo, e] = QUARTER_BOUNDS[quarter];
  return { name, year, quarter, start: `${year.startYear + so}-${s}`, end: `${year.startYear + eo}-${e}` };
}

export function financialYearOf(date: string): FinancialYear {
  const y = Number(date.slice(0, 4));
  const startYear = date.slice(5) >= '04-01' ? y : y - 1;
  return parseFinancialYear(`${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`)!;
}

/**
 * The financial year (`2019-20`) of an SQL date expression, as `financialYearOf` names it, in SQL: the date
 * moved back three months falls in the year's first calendar year, forward nine months in its second.
 */
export const financialYearSql = (date: string): string =>
  `(to_char(${date} - interval '3 months', 'YYYY') || '-' || to_char(${date} + interval '9 months', 'YY'))`;

export function financialQuarterOf(date: string): FinancialQuarter {
  const year = financialYearOf(date);
  const month = Number(date.slice(5, 7));
  const quarter = (month >= 4 ? Math.floor((month - 4) / 3) + 1 : 4) as 1 | 2 | 3 | 4;
  return parseFinancialQuarter(`${year.name} Q${quarter}`)!;
}

export function quartersOf(year: FinancialYear): FinancialQuarter[] {
  return [1, 2, 3, 4].map((q) => parseFinancialQuarter(`${year.name} Q${q}`)!);
}

/** Validators that throw BAD_USER_INPUT naming the field. */
export function requireFinancialYear(field: string, value: string): FinancialYear {
  const y = parseFinancialYear(value);
  if (!y) throw BadUserInputError.field(field, `must be a financial year such as 2019-20, got "${value}"`);
  return y;
}

export function requireFinancialQuarter(field: string, value: string): FinancialQuarter {
  const q = parseFinancialQuarter(value);
  if (!q)
    throw BadUserInputError.field(field, `must be a financial quarter such as 2019-20 Q3, got "${value}"`);
  return q;
}

/** Money is integer pence: a safe, non-negative integer unless `allowNegative`. */
export function requirePence(
  field: string,
  value: number,
  options: { allowNegative?: boolean; positive?: boolean } = {},
): number {
  if (!Number.isSafeInteger(value)) throw BadUserInputError.field(field, 'must be a whole number of pence');
  if (options.positive && value <= 0) throw BadUserInputError.field(field, 'must be more than 0 pence');
  if (!options.allowNegative && value < 0) throw BadUserInputError.field(field, 'must not be negative');
  return value;
}

/** ISO dates in England (en-CA writes YYYY-MM-DD): made once, as making one costs far more than using it. */
const ENGLAND_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date at `now` where the programme runs (England: GMT or BST), as an ISO date. */
export function todayInEngland(now: Date): string {
  return ENGLAND_DATE.format(now);
}
