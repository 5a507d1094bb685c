import type { ChartSpec } from '../charts.js';
import { financialYearOf, parseFinancialYear, todayInEngland } from '../../../../src/shared/periods.js';
import { date as formatDate } from '../format.js';
import { dateProblem, isoDate } from '../forms.js';
import { spendRate } from '../../../../src/funding/public-api.js';

/**
 * The programme overview: the five pilots side by side for a financial year (from the API's `comparePilots`),
 * as tables and a chart, each figure linked to the events behind it (`figureSources`).
 */

/** The money figures of a pilot, or of the programme, for a year. */
export interface MoneyFigures {
  readonly allocatedPence: number;
  readonly committedPence: number;
  readonly spentPence: number;
  readonly spendRate: number | null;
  readonly matchCashPence: number;
  readonly matchInKindPence: number;
}

export interface PilotComparison extends MoneyFigures {
  readonly areaCode: string;
  readonly areaName: string;
  readonly actionsByStatus: readonly { readonly status: string; readonly count: number }[];
  readonly indicators: readonly {
    readonly indicatorCode: string;
    readonly baseline: { readonly value: number; readonly date: string } | null;
    readonly latest: { readonly value: number; readonly periodLabel: string } | null;
    readonly nextTarget: { readonly value: number; readonly date: string } | null;
    readonly progress: number | null;
  }[];
  readonly returns: readonly { readonly quarter: string; readonly status: string }[];
  readonly learningPublished: number;
  readonly learningAdoptions: number;
}

/** The indicators compared unless the person chooses others: the two every demo pilot reports. */
export const DEFAULT_INDICATORS = ['GET_ON_WELL', 'ESOL_ENROLMENTS'];

/** The action statuses, in the order of an action's life. */
export const ACTION_STATUSES = ['PLANNED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED', 'CANCELLED'];

/** The GOV.UK tag colour of each return status. */
export const RETURN_TAG: Readonly<Record<string, { text: string; classes: string }>> = {
  NOT_SUBMITTED: { text: 'Not submitted', classes: 'govuk-tag--grey' },
  SUBMITTED: { text: 'Submitted', classes: 'govuk-tag--blue' },
  APPROVED: { text: 'Approved', classes: 'govuk-tag--green' },
  SENT_BACK: { text: 'Sent back', classes: 'govuk-tag--orange' },
};

export interface ProgrammeQuery {
  /** The financial year shown. */
  readonly year: string;
  /** "As it stood on" this ISO date (end of that day in England); undefined for now. */
  readonly asOfDate?: string;
  /** The instant sent as `asOf`. */
  readonly asOf?: string;
  readonly indicators: string[];
  /** The date fields as typed (kept when refused). */
  readonly asOfFields: { readonly day: string; readonly month: string; readonly year: string };
  /** Problems with what was asked (shown as an error summary), by field. */
  readonly errors: { readonly field: string; readonly text: string }[];
}

/** The instant a day ends in England ("2020-10-01" → 2020-10-01T22:59:59.999Z in summer time). */
export function endOfDayInEngland(date: string): string {
  const noon = new Date(`${date}T12:00:00Z`);
  const hourInLondon = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hour12: false }).format(
      noon,
    ),
  );
  const offsetHours = hourInLondon - 12;
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return new Date(next.getTime() - offsetHours * 3_600_000 - 1).toISOString();
}

/** An "as it stood on" date asked for in a GET form's three fields (`asOf-day`, `asOf-month`, `asOf-year`). */
export interface AsOfQuery {
  /** The ISO date; undefined for now (blank or refused). */
  readonly asOfDate?: string;
  /** The instant sent as `asOf`: the end of that day in England. */
  readonly asOf?: string;
  /** The fields as typed (kept when refused). */
  readonly asOfFields: { readonly day: string; readonly month: string; readonly year: string };
  /** Why the date cannot be used, for the error summary (the field is `asOf-day`). */
  readonly error?: { readonly field: string; readonly text: string };
}

/**
 * What a page asked for "as it stood on" a day before anything was recorded says, in place of an empty page:
 * "Nothing had been recorded by 1 April 2020. The earliest record is from 7 December 2026." Undefined when the
 * day is not before the earliest record (`earliest`: the first record's instant, or none).
 */
export function beforeFirstRecord(
  asOfDate: string | undefined,
  earliest: string | undefined,
  what = 'The earliest record is',
): string | undefined {
  if (!asOfDate || !earliest) return undefined;
  const firstDay = todayInEngland(new Date(earliest));
  if (firstDay <= asOfDate) return undefined;
  return `Nothing had been recorded by ${formatDate(asOfDate)}. ${what} from ${formatDate(firstDay)}.`;
}

/** The "as it stood on" date of a GET form: a real date, today or before. */
export function asOfQuery(
  search: Readonly<Record<string, string | string[] | undefined>>,
  today: string,
): AsOfQuery {
  const one = (name: string): string => {
    const v = search[name];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  const asOfFields = { day: one('asOf-day'), month: one('asOf-month'), year: one('asOf-year') };
  const typed = isoDate(asOfFields.day, asOfFields.month, asOfFields.year);
  if (typed === null) {
    const text = dateProblem('The date', asOfFields.day, asOfFields.month, asOfFields.year)!;
    return { asOfFields, error: { field: 'asOf-day', text } };
  }
  if (typed !== undefined && typed > today)
    return { asOfFields, error: { field: 'asOf-day', text: 'The date must be today or in the past' } };
  return { asOfFields, asOfDate: typed, asOf: typed ? endOfDayInEngland(typed) : undefined };
}

/**
 * What the overview was asked for, from its GET form: `year` (default: the latest year offered), the "as it
 * stood on" date in three fields, and the indicators (repeated `indicator`). A year or date it cannot use is an
 * error for the form, and the overview shows the default instead.
 */
export function programmeQuery(
  search: Readonly<Record<string, string | string[] | undefined>>,
  years: readonly string[],
  today: string,
): ProgrammeQuery {
  const one = (name: string): string => {
    const v = search[name];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  const errors: { field: string; text: string }[] = [];
  const fallbackYear = years[years.length - 1] ?? financialYearOf(today).name;
  let year = one('year').trim() || fallbackYear;
  if (!parseFinancialYear(year)) {
    errors.push({ field: 'year', text: 'Select a financial year' });
    year = fallbackYear;
  }
  const { asOfDate, asOf, asOfFields, error } = asOfQuery(search, today);
  if (error) errors.push(error);
  const raw = search.indicator;
  const chosen = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((c) =>
    /^[A-Z0-9_]{2,40}$/.test(c),
  );
  const indicators = search.indicators === 'chosen' || chosen.length ? chosen : DEFAULT_INDICATORS;
  return {
    year,
    asOfDate,
    asOf,
    indicators: [...new Set(indicators)],
    asOfFields,
    errors,
  };
}

/** A link to the events behind one figure of one pilot. */
export function sourcesHref(
  areaCode: string,
  figure: string,
  query: Pick<ProgrammeQuery, 'year' | 'asOfDate'>,
  indicatorCode?: string,
): string {
  const params = new URLSearchParams({ year: query.year });
  if (indicatorCode) params.set('indicator', indicatorCode);
  if (query.asOfDate) params.set('asOf', query.asOfDate);
  return `/programme/sources/${areaCode}/${figure.toLowerCase().replace(/_/g, '-')}?${params.toString()}`;
}

export interface ChartDatum {
  readonly pilot: string;
  readonly figure: string;
  readonly pounds: number;
}

/** The money chart's data: allocated, committed and spent of each pilot, in pounds. */
export function fundingChartData(rows: readonly PilotComparison[]): ChartDatum[] {
  return rows.flatMap((r) => [
    { pilot: r.areaName, figure: 'Allocated', pounds: r.allocatedPence / 100 },
    { pilot: r.areaName, figure: 'Committed', pounds: r.committedPence / 100 },
    { pilot: r.areaName, figure: 'Spent', pounds: r.spentPence / 100 },
  ]);
}

/** A grouped horizontal bar chart of each pilot's allocated, committed and spent funds. */
export function fundingChartSpec(rows: readonly PilotComparison[], year: string): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 560,
    height: { step: 14 },
    data: { values: fundingChartData(rows) },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'pilot', type: 'nominal', title: null, sort: null, axis: { labelLimit: 400 } },
      yOffset: { field: 'figure', type: 'nominal', sort: ['Allocated', 'Committed', 'Spent'] },
      x: {
        field: 'pounds',
        type: 'quantitative',
        title: `Pounds, ${year}`,
        // Each tick in whole pounds, as the table writes them ("£0", "£400,000"): a shared SI prefix read "£0M".
        axis: { labelExpr: "'£' + format(datum.value, ',.0f')" },
      },
      color: {
        field: 'figure',
        type: 'nominal',
        title: null,
        sort: ['Allocated', 'Committed', 'Spent'],
        legend: { orient: 'top', direction: 'horizontal' },
      },
    },
  } as ChartSpec;
}

/** A sentence saying what the funding chart shows, for assistive technology. */
export function fundingChartLabel(year: string, asOfDate?: string): string {
  return `Bar chart: each pilot's grant allocated, committed and spent in ${year}${asOfDate ? `, as it stood on ${asOfDate}` : ''}. The same figures are in the table below the chart.`;
}

/** The years the overview offers: every year any pilot is funded for, plus the requested one, in order. */
export function yearsOffered(fundingYears: readonly string[], requested?: string): string[] {
  const all = new Set(fundingYears);
  if (requested && parseFinancialYear(requested)) all.add(requested);
  return [...all].sort();
}

/** The count of one status in a list of status counts (0 when absent). */
export function countOf(counts: readonly { status: string; count: number }[], status: string): number {
  return counts.find((c) => c.status === status)?.count ?? 0;
}

export interface ProgrammeTotals extends MoneyFigures {
  readonly actionCounts: number[];
  readonly learningPublished: number;
  readonly learningAdoptions: number;
}

/**
 * The "All pilots" row: the pilots' figures added up (the API's programmeSummary says the same, but a request
 * may hold only one asOf query, and these must be the same instant as the rows).
 */
export function programmeTotals(rows: readonly PilotComparison[]): ProgrammeTotals {
  const sum = (f: (r: PilotComparison) => number) => rows.reduce((n, r) => n + f(r), 0);
  const allocatedPence = sum((r) => r.allocatedPence);
  const spentPence = sum((r) => r.spentPence);
  return {
    allocatedPence,
    committedPence: sum((r) => r.committedPence),
    spentPence,
    spendRate: spendRate(spentPence, allocatedPence),
    matchCashPence: sum((r) => r.matchCashPence),
    matchInKindPence: sum((r) => r.matchInKindPence),
    actionCounts: ACTION_STATUSES.map((s) => sum((r) => countOf(r.actionsByStatus, s))),
    learningPublished: sum((r) => r.learningPublished),
    learningAdoptions: sum((r) => r.learningAdoptions),
  };
}
