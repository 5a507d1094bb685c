import type { Queryable } from '@iap/projections';

/** Reading for the comparison context: the pilots, areas' names, code checks and indicator series. */

/** An area's code and name. */
export interface AreaNameRow {
  code: string;
  name: string;
}

/** A point of an indicator's series: one measurement, with its area's name. */
export interface IndicatorSeriesRow {
  areaCode: string;
  areaName: string;
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

/** The pilots, by name. */
export function pilotAreas(db: Queryable): Promise<AreaNameRow[]> {
  return db.query<AreaNameRow[]>(`SELECT code, name FROM areas WHERE kind = 'PILOT' ORDER BY name`);
}

/** The names of these areas (those registered). */
export function areaNames(db: Queryable, codes: readonly string[]): Promise<AreaNameRow[]> {
  return db.query<AreaNameRow[]>('SELECT code, name FROM areas WHERE code = ANY($1)', [codes]);
}

/** The codes among these that are not in the table (`themes` or `indicator_catalogue`). */
export async function unknownCodes(
  db: Queryable,
  table: 'themes' | 'indicator_catalogue',
  codes: readonly string[],
): Promise<string[]> {
  if (codes.length === 0) return [];
  const known = await db.query<{ code: string }[]>(`SELECT code FROM ${table} WHERE code = ANY($1)`, [codes]);
  return codes.filter((c) => !known.some((k) => k.code === c));
}

/** An indicator's measurements across areas, by period end, then period start, then area name. */
export function indicatorSeries(db: Queryable, q: IndicatorSeriesQuery): Promise<IndicatorSeriesRow[]> {
  return db.query<IndicatorSeriesRow[]>(
    `SELECT m.area_code AS "areaCode", a.name AS "areaName", m.period_label AS "periodLabel",
            m.period_start::text AS "periodStart", m.period_end::text AS "periodEnd", m.value::float8 AS value,
            m.corrections, m.recorded_at AS "recordedAt"
       FROM measurements m JOIN areas a ON a.code = m.area_code
      WHERE m.indicator_code = $1 AND ($2::text[] IS NULL OR m.area_code = ANY($2))
        AND ($3::date IS NULL OR m.period_end >= $3) AND ($4::date IS NULL OR m.period_end <= $4)
      ORDER BY m.period_end, m.period_start, a.name`,
    [q.indicatorCode, q.areaCodes?.length ? q.areaCodes : null, q.from, q.to],
  );
}
