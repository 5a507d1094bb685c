import type { TopLevelSpec } from 'vega-lite';
import {
  FINANCIAL_QUARTER,
  financialQuarterOf,
  financialYearOf as yearOfDate,
  parseFinancialQuarter,
  parseFinancialYear,
} from '../../../../src/shared/periods.js';
import { date, number, pounds } from '../format.js';
import { type FormFields, dateProblem, isoDate, penceFromPounds } from '../forms.js';

/** View models of the pilot officer's outcomes pages: indicators, measurements, returns by quarter. */

export type Unit = 'COUNT' | 'PERCENTAGE' | 'RATE_PER_1000' | 'POUNDS';
export type ReturnStatus = 'NOT_SUBMITTED' | 'SUBMITTED' | 'APPROVED' | 'SENT_BACK';

export interface IndicatorInfo {
  readonly code: string;
  readonly name: string;
  readonly unit: Unit;
  readonly direction: 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER';
  readonly definition: string;
  readonly source: string;
}

export interface AreaIndicator {
  readonly indicatorCode: string;
  readonly indicator: IndicatorInfo;
  readonly baseline: { readonly value: number; readonly date: string; readonly source: string } | null;
  readonly targets: readonly { readonly date: string; readonly value: number }[];
  readonly latest: { readonly value: number; readonly periodLabel: string } | null;
  readonly progress: number | null;
  readonly measurementCount: number;
  readonly revision: number;
}

export interface Measurement {
  readonly id: string;
  readonly indicatorCode: string;
  readonly periodLabel: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly value: number;
  readonly originalValue: number;
  readonly sampleSize: number | null;
  readonly source: string;
  readonly evidenceUrl: string | null;
  readonly corrections: number;
  readonly correctionReason: string | null;
  readonly revision: number;
}

export interface PeriodicReturn {
  readonly quarter: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly status: ReturnStatus;
  readonly locked: boolean;
  readonly submittedAt: string | null;
  readonly decidedAt: string | null;
  readonly comments: string | null;
  readonly revision: number | null;
}

// ------------------------------------------------------------------------------------------------ values

/** A value in its indicator's unit, as a person reads it ("73.4%", "£1,250", "0.62 per 1,000"). */
export function formatValue(unit: Unit, value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  switch (unit) {
    case 'PERCENTAGE':
      return `${number(value)}%`;
    case 'POUNDS':
      return pounds(value);
    case 'RATE_PER_1000':
      return `${number(value)} per 1,000`;
    default:
      return number(value);
  }
}

/** The unit in words, for a form's hint. */
export function unitHint(unit: Unit): string {
  switch (unit) {
    case 'PERCENTAGE':
      return 'A percentage from 0 to 100, like 73.4';
    case 'POUNDS':
      return 'An amount in pounds, like 1250 or 1250.50';
    case 'RATE_PER_1000':
      return 'A rate per 1,000 residents, like 0.62';
    default:
      return 'A whole number, like 140';
  }
}

/** A value as typed into a form, in the unit the API takes (pence for money): NaN when it is not a number. */
export function readValue(unit: Unit, typed: string | undefined): number | undefined {
  const text = (typed ?? '').trim().replace(/,/g, '').replace(/%$/, '');
  if (text === '') return undefined;
  if (unit === 'POUNDS') return penceFromPounds(text);
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

/**
 * A value read from a form (`readValue`) as the API's input takes it: one the page could not read goes as 0, which
 * the API is only ever asked to check (see submitForm), the page's own message standing for it.
 */
export function valueToSend(value: number | undefined): number {
  return value === undefined || Number.isNaN(value) ? 0 : value;
}

/** A value as a form shows it again (pounds for money). */
export function valueInput(unit: Unit, value: number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return unit === 'POUNDS' ? (value / 100).toFixed(value % 100 === 0 ? 0 : 2) : String(value);
}

// ------------------------------------------------------------------------------------------------ charts

/**
 * An indicator's series against its baseline and targets: the measurements as a line (by period end), the
 * baseline as a dashed rule, each target as a point at its date.
 */
export function indicatorChartSpec(
  indicator: Pick<IndicatorInfo, 'name' | 'unit'>,
  measurements: readonly Pick<Measurement, 'periodEnd' | 'periodLabel' | 'value'>[],
  baseline: AreaIndicator['baseline'],
  targets: AreaIndicator['targets'],
): TopLevelSpec {
  const scale = (v: number) => (indicator.unit === 'POUNDS' ? v / 100 : v);
  const yTitle =
    indicator.unit === 'PERCENTAGE'
      ? 'Per cent'
      : indicator.unit === 'POUNDS'
        ? 'Pounds'
        : indicator.unit === 'RATE_PER_1000'
          ? 'Per 1,000 residents'
          : 'Number';
  const x = {
    field: 'date',
    type: 'temporal' as const,
    title: 'Period end',
    axis: { format: '%b %Y' },
    scale: { padding: 12 },
  };
  // Not from zero: a line shows change, and the baseline and targets sit close to the measurements.
  const y = { field: 'value', type: 'quantitative' as const, title: yTitle, scale: { zero: false } };
  const series = measurements
    .map((m) => ({ date: m.periodEnd, value: scale(m.value), what: 'Measured' }))
    .sort((a, b) => a.date.localeCompare(b.date));
  const layers: object[] = [
    {
      data: { values: series },
      mark: { type: 'line', point: { filled: true, size: 50 }, color: '#1d70b8' },
      encoding: { x, y },
    },
  ];
  if (baseline) {
    layers.push({
      data: { values: [{ value: scale(baseline.value) }] },
      mark: { type: 'rule', strokeDash: [6, 4], color: '#505a5f' },
      encoding: { y },
    });
    layers.push({
      data: { values: [{ date: baseline.date, value: scale(baseline.value) }] },
      mark: { type: 'point', shape: 'square', filled: true, size: 80, color: '#505a5f' },
      encoding: { x, y },
    });
  }
  if (targets.length > 0) {
    layers.push({
      data: { values: targets.map((t) => ({ date: t.date, value: scale(t.value) })) },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 140, color: '#00703c' },
      encoding: { x, y },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 560,
    height: 240,
    background: 'white',
    config: { font: 'Arial, sans-serif', axis: { labelFontSize: 13, titleFontSize: 14 } },
    layer: layers,
  } as TopLevelSpec;
}

// ------------------------------------------------------------------------------------------------ periods

/** A quarter in a URL: `2021-22 Q1` as `2021-22-q1`. */
export function quarterSlug(quarter: string): string {
  return quarter.replace(' Q', '-q');
}

/** The quarter a URL names, or undefined when it names none. */
export function quarterOfSlug(slug: string | undefined): string | undefined {
  const m = /^(\d{4}-\d{2})-q([1-4])$/i.exec(slug ?? '');
  if (!m) return undefined;
  const quarter = `${m[1]} Q${m[2]}`;
  return parseFinancialQuarter(quarter) ? quarter : undefined;
}

/** The financial year of a quarter (`2021-22 Q1` → `2021-22`). */
export function yearOfQuarter(quarter: string): string {
  return quarter.slice(0, 7);
}

/** The financial year (`2026-27`) a date falls in. */
export function financialYearOf(isoDay: string): string {
  return yearOfDate(isoDay).name;
}

export function nextYear(year: string): string {
  const start = (parseFinancialYear(year)?.startYear ?? 0) + 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

// ------------------------------------------------------------------------------------------------ returns

export interface ReturnRow {
  readonly quarter: string;
  readonly slug: string;
  readonly status: ReturnStatus;
  readonly tag: { readonly text: string; readonly classes: string };
  /** Submitted on…, approved on…, the central team's comments. */
  readonly details: string;
  readonly comments: string | null;
  readonly canSubmit: boolean;
  readonly started: boolean;
  readonly locked: boolean;
}

/** A return's status as a GOV.UK tag. */
export function statusTag(status: ReturnStatus): { text: string; classes: string } {
  switch (status) {
    case 'SUBMITTED':
      return { text: 'Submitted', classes: 'govuk-tag--blue' };
    case 'APPROVED':
      return { text: 'Approved', classes: 'govuk-tag--green' };
    case 'SENT_BACK':
      return { text: 'Sent back', classes: 'govuk-tag--orange' };
    default:
      return { text: 'Not started', classes: 'govuk-tag--grey' };
  }
}

/**
 * Why a quarter is locked, in words ("Submitted on 7 December 2026 and awaiting review by the central team"),
 * or undefined when it is open.
 */
export function lockReason(
  r: Pick<PeriodicReturn, 'status' | 'submittedAt' | 'decidedAt'>,
): string | undefined {
  if (r.status === 'SUBMITTED')
    return `Its return was submitted on ${date(r.submittedAt)} and is awaiting review by the central team.`;
  if (r.status === 'APPROVED')
    return `Its return was submitted on ${date(r.submittedAt)} and approved by the central team on ${date(r.decidedAt)}.`;
  return undefined;
}

/**
 * Each quarter of a year as the returns page lists it; `today` (ISO) decides which quarters have started, and
 * `due` (the central team's "Due and overdue" of this area, by quarter) when a return is due.
 */
export function returnRows(
  returns: readonly PeriodicReturn[],
  today: string,
  due: ReadonlyMap<string, { readonly dueDate: string; readonly overdue: boolean }> = new Map(),
): ReturnRow[] {
  return returns.map((r) => {
    const started = r.startDate <= today;
    const owed = due.get(r.quarter);
    const dueBy = owed ? `. ${owed.overdue ? 'Overdue: it was due' : 'Due'} by ${date(owed.dueDate)}` : '';
    const details =
      r.status === 'SUBMITTED'
        ? `Submitted on ${date(r.submittedAt)}, awaiting review`
        : r.status === 'APPROVED'
          ? `Approved on ${date(r.decidedAt)}`
          : r.status === 'SENT_BACK'
            ? `Sent back on ${date(r.decidedAt)}${dueBy}`
            : !started
              ? `Quarter starts ${date(r.startDate)}`
              : r.endDate < today
                ? `Quarter ended ${date(r.endDate)}${dueBy}`
                : `Quarter ends ${date(r.endDate)}`;
    return {
      quarter: r.quarter,
      slug: quarterSlug(r.quarter),
      status: r.status,
      tag:
        started || r.status !== 'NOT_SUBMITTED'
          ? statusTag(r.status)
          : { text: 'Not open yet', classes: 'govuk-tag--grey' },
      details,
      comments: r.status === 'SENT_BACK' ? r.comments : null,
      canSubmit: started && !r.locked,
      started,
      locked: r.locked,
    };
  });
}

/**
 * The year the returns page opens on: that of the first quarter, in the years it offers (`returnsYears`), that has
 * started and has no return or an open one (the return to do next); else the year today falls in, or the last
 * offered before it.
 */
export function defaultReturnsYear(
  all: readonly PeriodicReturn[],
  fundedYears: readonly string[],
  today: string,
): string {
  const byQuarter = new Map(all.map((r) => [r.quarter, r]));
  const years = returnsYears(all, fundedYears, today);
  for (const year of years) {
    for (const q of [1, 2, 3, 4]) {
      const quarter = parseFinancialQuarter(`${year} Q${q}`)!;
      if (quarter.start > today) return year;
      const r = byQuarter.get(quarter.name);
      if (!r || !r.locked) return year;
    }
  }
  const current = financialYearOf(today);
  return [...years].reverse().find((y) => y <= current) ?? years[0] ?? current;
}

/**
 * The years the returns page offers: those the area has grant for, since a return is due for each quarter of a
 * funded year (DOMAIN.md; the central team's "Due and overdue" counts the same quarters), and any other year a
 * return was made for; the current year when there is neither.
 */
export function returnsYears(
  all: readonly PeriodicReturn[],
  fundedYears: readonly string[],
  today: string,
): string[] {
  const years = new Set([
    ...fundedYears,
    ...all.filter((r) => r.status !== 'NOT_SUBMITTED').map((r) => yearOfQuarter(r.quarter)),
  ]);
  return years.size > 0 ? [...years].sort() : [financialYearOf(today)];
}

// ------------------------------------------------------------------------------------------------ forms

/**
 * The outcomes forms' fields: the API's argument paths to the form's field ids (a date input by its day box),
 * and labels that make an API message a sentence ("must not be blank" → "The source must not be blank").
 */
export const MEASUREMENT_FIELDS: FormFields = {
  fields: {
    indicatorCode: 'indicator',
    periodLabel: 'periodLabel',
    period: 'periodLabel',
    periodStart: 'periodStart-day',
    periodEnd: 'periodEnd-day',
    value: 'value',
    sampleSize: 'sampleSize',
    source: 'source',
    evidenceUrl: 'evidenceUrl',
    reason: 'reason',
    note: 'note',
    date: 'date-day',
  },
  labels: {
    indicator: 'The indicator',
    periodLabel: 'The period',
    'periodStart-day': 'The start date',
    'periodEnd-day': 'The end date',
    value: 'The value',
    sampleSize: 'The sample size',
    source: 'The source',
    evidenceUrl: 'The evidence link',
    reason: 'The reason',
    'date-day': 'The date',
    note: 'The note',
  },
  enter: { source: 'the source' },
};

export interface MeasurementForm {
  readonly input: Record<string, unknown>;
  /** What the page itself finds to fix (by field id), said with what the API finds in the input. */
  readonly problems: Record<string, string>;
}

/**
 * The record-measurement form's answers as the API's input, and what the page finds to fix itself (a value
 * that is not a number, a date that is not a date). For a financial quarter (`2021-22 Q1`) left without dates,
 * the quarter's own dates are used.
 */
export function measurementInput(
  areaCode: string,
  unit: Unit | undefined,
  body: Readonly<Record<string, string>>,
): MeasurementForm {
  const problems: Record<string, string> = {};
  const periodLabel = (body.periodLabel ?? '').trim();
  let periodStart = isoDate(body['periodStart-day'], body['periodStart-month'], body['periodStart-year']);
  let periodEnd = isoDate(body['periodEnd-day'], body['periodEnd-month'], body['periodEnd-year']);
  const quarter = FINANCIAL_QUARTER.test(periodLabel) ? parseFinancialQuarter(periodLabel) : null;
  if (periodStart === undefined && periodEnd === undefined && quarter) {
    periodStart = quarter.start;
    periodEnd = quarter.end;
  }
  if (!(body.indicator ?? '').trim()) problems.indicator = 'Select the indicator';
  if (!periodLabel) problems.periodLabel = 'Enter the period, like 2021-22 Q1';
  const problem = (name: string, words: string) =>
    dateProblem(words, body[`${name}-day`], body[`${name}-month`], body[`${name}-year`])!;
  if (periodStart === null) problems['periodStart-day'] = problem('periodStart', 'The start date');
  else if (periodStart === undefined && periodLabel)
    problems['periodStart-day'] = 'Enter the start date of the period';
  if (periodEnd === null) problems['periodEnd-day'] = problem('periodEnd', 'The end date');
  else if (periodEnd === undefined && periodLabel)
    problems['periodEnd-day'] = 'Enter the end date of the period';
  const value = readValue(unit ?? 'COUNT', body.value);
  if (value === undefined) problems.value = 'Enter the value';
  else if (Number.isNaN(value)) problems.value = `The value must be a number. ${unitHint(unit ?? 'COUNT')}`;
  const sampleText = (body.sampleSize ?? '').trim().replace(/,/g, '');
  if (sampleText && !/^\d+$/.test(sampleText))
    problems.sampleSize = 'The sample size must be a whole number, like 510';
  return {
    problems,
    // With problems, the API only checks it (see submitForm): an unreadable date goes blank, a value as 0.
    input: {
      areaCode,
      indicatorCode: body.indicator ?? '',
      periodLabel,
      periodStart: periodStart ?? '',
      periodEnd: periodEnd ?? '',
      value: valueToSend(value),
      ...(sampleText && !problems.sampleSize ? { sampleSize: Number(sampleText) } : {}),
      source: body.source ?? '',
      ...((body.evidenceUrl ?? '').trim() ? { evidenceUrl: body.evidenceUrl!.trim() } : {}),
      ...((body.note ?? '').trim() ? { note: body.note!.trim() } : {}),
    },
  };
}

/** A return's actions by status in words ("1 planned, 2 in progress"), statuses with none left out. */
export function actionsInWords(actions: readonly { status: string; count: number }[]): string {
  const text = actions
    .filter((a) => a.count > 0)
    .map((a) => `${a.count} ${a.status.replace(/_/g, ' ').toLowerCase()}`)
    .join(', ');
  return text || 'No actions';
}

/** The quarter a measurement's period falls in (by its end date, as the API locks it). */
export function quarterOfDate(isoDay: string): string {
  return financialQuarterOf(isoDay).name;
}
