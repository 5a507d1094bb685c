import { BadUserInputError, decodeCursor, requireAreaCode } from '@iap/common';
import { isIsoDate, parseFinancialQuarter, quartersOf, type FinancialYear } from '../../shared/periods.js';
import type { Queryable } from '@iap/projections';
import {
  type Direction,
  INDICATOR_CODE,
  INDICATOR_CODE_MESSAGE,
  UNITS,
  isAdditive,
} from '../domain/indicator.js';
import { isLocked, type ReturnSnapshot, type ReturnStatus } from '../domain/periodic-return.js';
import { nextTarget, progressToward, trendOf } from '../domain/progress.js';
import type {
  AreaIndicatorType,
  IndicatorType,
  MeasurementFilter,
  MeasurementType,
  PeriodicReturnType,
  ReturnSnapshotType,
  ReturnStatusEnum,
  TrendAssessmentEnum,
  TrendMovementEnum,
} from './outcomes.types.js';

/** Reading the outcomes read models: SQL and the mapping of rows to GraphQL objects. */

export const INDICATOR_COLUMNS = `code, name, unit, direction, theme, domain, integration_factor AS "integrationFactor",
  definition, source, retired, retired_reason AS "retiredReason", version, revision::int AS revision,
  defined_at AS "definedAt", updated_at AS "updatedAt"`;

export const MEASUREMENT_COLUMNS = `m.id, m.area_code AS "areaCode", m.indicator_code AS "indicatorCode",
  m.period_label AS "periodLabel", m.period_start::text AS "periodStart", m.period_end::text AS "periodEnd",
  m.value::float8 AS value, m.original_value::float8 AS "originalValue", m.sample_size AS "sampleSize", m.denominator,
  m.source, m.evidence_url AS "evidenceUrl", m.note, m.corrections, m.correction_reason AS "correctionReason",
  m.recorded_at AS "recordedAt", m.corrected_at AS "correctedAt",
  COALESCE((SELECT max(ai.revision) FROM area_indicators ai WHERE ai.area_code = m.area_code), m.revision)::int AS revision`;

export async function indicatorsByCode(
  db: Queryable,
  codes: readonly string[],
): Promise<(IndicatorType | null)[]> {
  const rows: IndicatorType[] = await db.query(
    `SELECT ${INDICATOR_COLUMNS} FROM indicator_catalogue WHERE code = ANY($1)`,
    [codes],
  );
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return codes.map((c) => byCode.get(c) ?? null);
}

/** The catalogue by code, optionally for one theme or domain, retired indicators only when asked for. */
export function indicatorCatalogue(
  db: Queryable,
  theme: string | null,
  domain: string | null,
  includeRetired: boolean,
): Promise<IndicatorType[]> {
  return db.query<IndicatorType[]>(
    `SELECT ${INDICATOR_COLUMNS} FROM indicator_catalogue
      WHERE ($1::text IS NULL OR theme = $1) AND ($2::text IS NULL OR domain = $2) AND ($3 OR NOT retired)
      ORDER BY code`,
    [theme, domain, includeRetired],
  );
}

export interface MeasurementsFilter {
  areaCode?: string | null;
  indicatorCode?: string | null;
  theme?: string | null;
  periodFrom?: string | null;
  periodTo?: string | null;
}

/**
 * A page of measurements across areas (`limit` rows, latest period first: by period end, then start, then id),
 * after the measurement `after` names (its period end, start and id), and how many match the filter in all.
 */
export async function measurementsPage(
  db: Queryable,
  f: MeasurementsFilter,
  after: readonly [string, string, string] | null,
  limit: number,
): Promise<{ rows: MeasurementType[]; total: number }> {
  const params: unknown[] = [
    f.areaCode ?? null,
    f.indicatorCode ?? null,
    f.theme ?? null,
    f.periodFrom ?? null,
    f.periodTo ?? null,
  ];
  const where = `($1::text IS NULL OR m.area_code = $1)
      AND ($2::text IS NULL OR m.indicator_code = $2)
      AND ($3::text IS NULL OR m.indicator_code IN (SELECT code FROM indicator_catalogue WHERE theme = $3))
      AND ($4::date IS NULL OR m.period_end >= $4::date)
      AND ($5::date IS NULL OR m.period_end <= $5::date)`;
  const [rows, [{ total }]] = await Promise.all([
    db.query<MeasurementType[]>(
      `SELECT ${MEASUREMENT_COLUMNS} FROM measurements m
        WHERE ${where}
          AND ($6::date IS NULL OR (m.period_end, m.period_start, m.id) < ($6::date, $7::date, $8::text))
        ORDER BY m.period_end DESC, m.period_start DESC, m.id DESC
        LIMIT $9`,
      [...params, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, limit],
    ),
    db.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM measurements m WHERE ${where}`, params),
  ]);
  return { rows, total };
}

/** Checks a measurements filter, naming the offending field (`filter.periodFrom`). */
export function checkMeasurementFilter(
  filter: MeasurementFilter | null | undefined,
  prefix = 'filter',
): MeasurementFilter {
  const f = filter ?? {};
  if (f.areaCode != null) requireAreaCode(f.areaCode, `${prefix}.areaCode`);
  if (f.indicatorCode != null && !INDICATOR_CODE.test(f.indicatorCode)) {
    throw BadUserInputError.field(`${prefix}.indicatorCode`, INDICATOR_CODE_MESSAGE);
  }
  if (f.theme != null && !INDICATOR_CODE.test(f.theme)) {
    throw BadUserInputError.field(`${prefix}.theme`, 'must be a theme code such as ENGLISH_LANGUAGE');
  }
  for (const field of ['periodFrom', 'periodTo'] as const) {
    const v = f[field];
    if (v != null && !isIsoDate(v)) {
      throw BadUserInputError.field(
        `${prefix}.${field}`,
        `must be an ISO 8601 date (YYYY-MM-DD), got "${v}"`,
      );
    }
  }
  if (f.periodFrom && f.periodTo && f.periodFrom > f.periodTo) {
    throw BadUserInputError.field(`${prefix}.periodTo`, `must not be before periodFrom (${f.periodFrom})`);
  }
  return f;
}

/** Where a page of measurements starts: after (period end, period start, id). */
type MeasurementCursor = [string, string, string];

export function measurementCursor(after: string): MeasurementCursor {
  const values = decodeCursor(after);
  if (
    values.length !== 3 ||
    !values.every((v) => typeof v === 'string') ||
    !isIsoDate(values[0] as string) ||
    !isIsoDate(values[1] as string)
  ) {
    throw BadUserInputError.field('after', 'is not a cursor this API issued');
  }
  return values as MeasurementCursor;
}

export async function measurementById(db: Queryable, id: string): Promise<MeasurementType | null> {
  const [row] = await db.query(`SELECT ${MEASUREMENT_COLUMNS} FROM measurements m WHERE m.id = $1`, [id]);
  return row ?? null;
}

export interface AreaIndicatorRow {
  areaCode: string;
  indicatorCode: string;
  direction: Direction;
  baselineValue: number | null;
  baselineDate: string | null;
  baselineSource: string | null;
  targets: { date: string; value: number }[];
  latestValue: number | null;
  latestLabel: string | null;
  latestStart: string | null;
  latestEnd: string | null;
  previousValue: number | null;
  previousLabel: string | null;
  previousStart: string | null;
  previousEnd: string | null;
  measurementCount: number;
  cumulative: number | null;
  updatedAt: Date;
  revision: number;
}

const AREA_INDICATOR_SQL = `SELECT ai.area_code AS "areaCode", ai.indicator_code AS "indicatorCode", ic.direction,
    ai.baseline_value::float8 AS "baselineValue", ai.baseline_date::text AS "baselineDate", ai.baseline_source AS "baselineSource",
    ai.targets, ai.latest_value::float8 AS "latestValue", ai.latest_period_label AS "latestLabel",
    ai.latest_period_start::text AS "latestStart", ai.latest_period_end::text AS "latestEnd",
    ai.previous_value::float8 AS "previousValue", ai.previous_period_label AS "previousLabel",
    ai.previous_period_start::text AS "previousStart", ai.previous_period_end::text AS "previousEnd",
    ai.measurement_count AS "measurementCount", ai.cumulative_value::float8 AS cumulative,
    ai.updated_at AS "updatedAt", ai.revision::int AS revision
  FROM area_indicators ai JOIN indicator_catalogue ic ON ic.code = ai.indicator_code`;

/**
 * An area's standing on an indicator, with next target, trend and progress worked out from the row (the next
 * target is the first due on or after the latest period's end; with no latest, after `noLatestDate`, today by
 * default).
 */
export function toAreaIndicator(r: AreaIndicatorRow, noLatestDate?: string): AreaIndicatorType {
  const latest =
    r.latestValue === null
      ? null
      : {
          value: r.latestValue,
          periodLabel: r.latestLabel!,
          periodStart: r.latestStart!,
          periodEnd: r.latestEnd!,
        };
  const previous =
    r.previousValue === null
      ? null
      : {
          value: r.previousValue,
          periodLabel: r.previousLabel!,
          periodStart: r.previousStart!,
          periodEnd: r.previousEnd!,
        };
  const baseline =
    r.baselineValue === null
      ? null
      : { value: r.baselineValue, date: r.baselineDate!, source: r.baselineSource! };
  const targets = r.targets.map((t) => ({ date: t.date, value: Number(t.value) }));
  const next = nextTarget(
    targets,
    latest?.periodEnd ?? noLatestDate ?? new Date().toISOString().slice(0, 10),
  );
  const trend = latest && previous ? trendOf(r.direction, previous.value, latest.value) : null;
  return {
    areaCode: r.areaCode,
    indicatorCode: r.indicatorCode,
    baseline,
    targets,
    nextTarget: next,
    latest,
    previous,
    trend: trend
      ? {
          movement: trend.movement as TrendMovementEnum,
          assessment: trend.assessment as TrendAssessmentEnum,
          change: trend.change,
        }
      : null,
    progress:
      baseline && latest && next
        ? progressToward(r.direction, baseline.value, next.value, latest.value)
        : null,
    cumulative: r.cumulative,
    measurementCount: r.measurementCount,
    updatedAt: r.updatedAt,
    revision: r.revision,
  };
}

export async function areaIndicator(
  db: Queryable,
  areaCode: string,
  indicatorCode: string,
): Promise<AreaIndicatorType | null> {
  const [row] = await db.query(`${AREA_INDICATOR_SQL} WHERE ai.area_code = $1 AND ai.indicator_code = $2`, [
    areaCode,
    indicatorCode,
  ]);
  return row ? toAreaIndicator(row) : null;
}

export async function areaIndicatorsOf(
  db: Queryable,
  areaCodes: readonly string[],
): Promise<AreaIndicatorType[]> {
  const rows: AreaIndicatorRow[] = await db.query(
    `${AREA_INDICATOR_SQL} WHERE ai.area_code = ANY($1) ORDER BY ai.area_code, ai.indicator_code`,
    [areaCodes],
  );
  return rows.map((r) => toAreaIndicator(r));
}

/**
 * Several areas' standing on the chosen indicators within one financial year: baseline and targets as they
 * stand, and of the measurements only those whose period ends in the year: the latest and previous of them by
 * period (the later end first; for the same end, the shorter period), how many and, for counts and money, their
 * total over the year, as the projection keeps them per area, indicator and year (`area_indicator_years`). With
 * none in the year, `latest` is null.
 */
export async function areaIndicatorsInYear(
  db: Queryable,
  areaCodes: readonly string[],
  indicatorCodes: readonly string[],
  year: { name: string; end: string },
): Promise<AreaIndicatorType[]> {
  const rows: AreaIndicatorRow[] = await db.query(
    `SELECT ai.area_code AS "areaCode", ai.indicator_code AS "indicatorCode", ic.direction,
        ai.baseline_value::float8 AS "baselineValue", ai.baseline_date::text AS "baselineDate",
        ai.baseline_source AS "baselineSource", ai.targets,
        y.latest_value::float8 AS "latestValue", y.latest_period_label AS "latestLabel",
        y.latest_period_start::text AS "latestStart", y.latest_period_end::text AS "latestEnd",
        y.previous_value::float8 AS "previousValue", y.previous_period_label AS "previousLabel",
        y.previous_period_start::text AS "previousStart", y.previous_period_end::text AS "previousEnd",
        COALESCE(y.measurement_count, 0) AS "measurementCount",
        (CASE WHEN ic.unit = ANY($4::text[]) AND y.measurement_count > 0 THEN y.total_value END)::float8 AS cumulative,
        ai.updated_at AS "updatedAt", ai.revision::int AS revision
      FROM area_indicators ai JOIN indicator_catalogue ic ON ic.code = ai.indicator_code
      LEFT JOIN area_indicator_years y
        ON y.area_code = ai.area_code AND y.indicator_code = ai.indicator_code AND y.year = $3
     WHERE ai.area_code = ANY($1) AND ai.indicator_code = ANY($2)
     ORDER BY ai.area_code, ai.indicator_code`,
    [areaCodes, indicatorCodes, year.name, UNITS.filter(isAdditive)],
  );
  return rows.map((r) => toAreaIndicator(r, year.end));
}

export interface ReturnRow {
  areaCode: string;
  quarter: string;
  startDate: string;
  endDate: string;
  status: ReturnStatus;
  note: string;
  snapshot: ReturnSnapshot | null;
  submissions: number;
  submittedAt: Date | null;
  decidedAt: Date | null;
  comments: string | null;
  revision: number;
}

const RETURN_SQL = `SELECT area_code AS "areaCode", quarter, quarter_start::text AS "startDate", quarter_end::text AS "endDate",
    status, note, snapshot, submissions, submitted_at AS "submittedAt", decided_at AS "decidedAt", comments,
    revision::int AS revision
  FROM periodic_returns`;

export function toReturn(r: ReturnRow): PeriodicReturnType {
  return {
    ...r,
    status: r.status as ReturnStatusEnum,
    locked: isLocked(r.status),
    snapshot: r.snapshot ? toSnapshot(r.snapshot) : null,
  };
}

/** A return's figures as the API answers them. */
export function toSnapshot(snapshot: ReturnSnapshot): ReturnSnapshotType {
  return {
    spend: snapshot.spendPence,
    measurements: snapshot.measurements,
    actionsByStatus: Object.entries(snapshot.actionsByStatus).map(([status, count]) => ({ status, count })),
  };
}

export async function returnsOf(db: Queryable, areaCodes: readonly string[]): Promise<PeriodicReturnType[]> {
  const rows: ReturnRow[] = await db.query(
    `${RETURN_SQL} WHERE area_code = ANY($1) ORDER BY area_code, quarter_start`,
    [areaCodes],
  );
  return rows.map(toReturn);
}

/** A quarter with no return yet. */
export function notSubmitted(areaCode: string, quarter: string, revision: number | null): PeriodicReturnType {
  const q = parseFinancialQuarter(quarter)!;
  return {
    areaCode,
    quarter,
    startDate: q.start,
    endDate: q.end,
    status: 'NOT_SUBMITTED' as ReturnStatusEnum,
    locked: false,
    note: null,
    snapshot: null,
    submissions: 0,
    submittedAt: null,
    decidedAt: null,
    comments: null,
    revision,
  };
}

/**
 * An area's returns: with a year, each of its four quarters (NOT_SUBMITTED where there is no return);
 * without, every quarter that has a return.
 */
export function returnsForYear(
  areaCode: string,
  all: readonly PeriodicReturnType[],
  year: FinancialYear | null,
): PeriodicReturnType[] {
  const revision = all.reduce<number | null>(
    (max, r) => (r.revision !== null && (max === null || r.revision > max) ? r.revision : max),
    null,
  );
  if (!year) return [...all];
  const byQuarter = new Map(all.map((r) => [r.quarter, r]));
  return quartersOf(year).map((q) => byQuarter.get(q.name) ?? notSubmitted(areaCode, q.name, revision));
}

export async function periodicReturn(
  db: Queryable,
  areaCode: string,
  quarter: string,
): Promise<PeriodicReturnType> {
  const all = await returnsOf(db, [areaCode]);
  const found = all.find((r) => r.quarter === quarter);
  if (found) return found;
  return notSubmitted(areaCode, quarter, all[0]?.revision ?? null);
}

/** Those of these codes that are in the indicator catalogue (retired or not). */
export async function knownIndicatorCodes(db: Queryable, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await db.query<{ code: string }[]>(
    'SELECT code FROM indicator_catalogue WHERE code = ANY($1)',
    [codes],
  );
  return rows.map((r) => r.code);
}

/** One measurement of an indicator's series. */
export interface IndicatorMeasurementRow {
  areaCode: string;
  periodLabel: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  corrections: number;
  recordedAt: Date;
}

/** Which measurements a series takes: an indicator's, of some areas (null for all), period end from/to. */
export interface IndicatorSeriesQuery {
  indicatorCode: string;
  areaCodes: readonly string[] | null;
  from: string | null;
  to: string | null;
}

/** An indicator's measurements across areas, by period end, then period start. */
export function indicatorMeasurements(
  db: Queryable,
  q: IndicatorSeriesQuery,
): Promise<IndicatorMeasurementRow[]> {
  return db.query<IndicatorMeasurementRow[]>(
    `SELECT m.area_code AS "areaCode", m.period_label AS "periodLabel", m.period_start::text AS "periodStart",
            m.period_end::text AS "periodEnd", m.value::float8 AS value, m.corrections, m.recorded_at AS "recordedAt"
       FROM measurements m
      WHERE m.indicator_code = $1 AND ($2::text[] IS NULL OR m.area_code = ANY($2))
        AND ($3::date IS NULL OR m.period_end >= $3) AND ($4::date IS NULL OR m.period_end <= $4)
      ORDER BY m.period_end, m.period_start`,
    [q.indicatorCode, q.areaCodes?.length ? q.areaCodes : null, q.from, q.to],
  );
}
