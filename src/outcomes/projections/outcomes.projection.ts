import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import {
  type AsOfSql,
  type Projection,
  type ProjectionContext,
  ReadModelProjection,
  VersionedRows,
  type VersionedTableSpec,
} from '@iap/projections';
import type { OutcomeEvent } from '../domain/area-outcomes.js';
import { type IndicatorEvent, UNITS, isAdditive } from '../domain/indicator.js';
import { setAreaRevisions } from '../../shared/area-revisions.js';
import { financialYearOf, financialYearSql } from '../../shared/periods.js';
import {
  type CatalogueRow,
  type MeasurementRow,
  type SummaryRow,
  catalogueRowAfter,
  measurementRowAfter,
  summaryRowAfter,
} from './outcomes.rows.js';

type Event = RecordedEvent & (IndicatorEvent | OutcomeEvent);

/**
 * The indicator catalogue, each area's measurements as reported (incremental, per period), and per area and
 * indicator a summary: baseline, targets sorted by date, the latest and previous measurement by period, how
 * many there are and, for counts and money, their cumulative total. The summary is recomputed from the
 * measurements whenever one is recorded or corrected, so a correction of an earlier period or a period
 * reported out of order leaves latest, previous and cumulative right.
 *
 * `revision` on catalogue rows is the catalogue stream's revision, and on an area's rows its outcomes
 * stream's revision: what a client sends back as expectedRevision.
 */
@ReadModelProjection()
@Injectable()
export class OutcomesProjection implements Projection {
  readonly name = 'outcomes';
  readonly tables = [
    'indicator_catalogue',
    'indicator_catalogue_history',
    'area_indicators',
    'area_indicators_history',
    'measurements',
    'measurements_history',
    'area_indicator_years',
  ];
  /** The summaries read an area's measurements of an indicator (see summaryOfMeasurements). */
  readonly indexesWhileProjecting = ['measurements_area_indicator'];
  readonly eventTypes = [
    'IndicatorDefined',
    'IndicatorRevised',
    'IndicatorRetired',
    'BaselineSet',
    'TargetSet',
    'MeasurementRecorded',
    'MeasurementCorrected',
  ];

  asOf(sql: AsOfSql): Record<string, string> {
    const m = sql.view('measurements');
    return {
      // Versions keep their own event's revision; the catalogue stream's revision then is the latest of them.
      indicator_catalogue: `SELECT code, name, unit, direction, theme, domain, integration_factor, definition, source,
          retired, retired_reason, version, defined_at, updated_at, max(revision) OVER () AS revision
        FROM (${sql.current(CATALOGUE_TABLE)}) AS c`,
      measurements: sql.current(MEASUREMENTS_TABLE),
      // Baseline and targets are versioned; the rest is summed from the measurements as they then stood, as the
      // projection computes it (latest and previous by period, count, cumulative for counts and money).
      area_indicators: `SELECT k.area_code, k.indicator_code, b.baseline_value, b.baseline_date, b.baseline_source,
          COALESCE(b.targets, '[]'::jsonb) AS targets,
          l.value AS latest_value, l.period_label AS latest_period_label, l.period_start AS latest_period_start,
          l.period_end AS latest_period_end,
          p.value AS previous_value, p.period_label AS previous_period_label, p.period_start AS previous_period_start,
          p.period_end AS previous_period_end,
          t.n AS measurement_count,
          CASE WHEN c.unit IN (${UNITS.filter(isAdditive)
            .map((u) => `'${u}'`)
            .join(', ')}) AND t.n > 0 THEN t.total END AS cumulative_value,
          GREATEST(b.updated_at, t.last_at) AS updated_at,
          max(GREATEST(b.revision, t.revision)) OVER (PARTITION BY k.area_code) AS revision
        FROM (SELECT area_code, indicator_code FROM (${sql.current(AREA_INDICATORS_TABLE)}) AS h
              UNION SELECT area_code, indicator_code FROM ${m}) AS k
        LEFT JOIN (${sql.current(AREA_INDICATORS_TABLE, 'h2')}) AS b
          ON b.area_code = k.area_code AND b.indicator_code = k.indicator_code
        ${summaryOfMeasurements(m)}
        LEFT JOIN ${sql.view('indicator_catalogue')} AS c ON c.code = k.indicator_code`,
      // Summed, like the live table, from the measurements as they then stood.
      area_indicator_years: `SELECT k.area_code, k.indicator_code, k.year, ${YEAR_SUMMARY_VALUES}
        FROM (SELECT DISTINCT area_code, indicator_code, ${financialYearSql('period_end')} AS year FROM ${m}) AS k
        ${summaryOfMeasurements(m, true)}`,
    };
  }

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const typed = events as readonly Event[];
    const catalogue = new VersionedRows<CatalogueRow>(CATALOGUE_TABLE);
    const summaries = new VersionedRows<SummaryRow>(AREA_INDICATORS_TABLE);
    const measurements = new VersionedRows<MeasurementRow>(MEASUREMENTS_TABLE);
    await catalogue.load(
      ctx,
      typed.flatMap((e) =>
        e.type === 'IndicatorRevised' || e.type === 'IndicatorRetired' ? [{ code: e.data.code }] : [],
      ),
    );
    await summaries.load(
      ctx,
      typed.flatMap((e) =>
        e.type === 'BaselineSet' || e.type === 'TargetSet'
          ? [{ area_code: e.data.areaCode, indicator_code: e.data.indicatorCode }]
          : [],
      ),
    );
    await measurements.load(
      ctx,
      typed.flatMap((e) => (e.type === 'MeasurementCorrected' ? [{ id: e.data.measurementId }] : [])),
    );
    const batch = new OutcomesBatch();
    let catalogueRevision: string | null = null;
    for (const e of typed) {
      switch (e.type) {
        case 'IndicatorDefined':
        case 'IndicatorRevised':
        case 'IndicatorRetired': {
          const row = catalogueRowAfter(catalogue.get({ code: e.data.code }), e);
          if (!row)
            throw new Error(`${e.type} for indicator ${e.data.code}, which the read model does not hold`);
          catalogue.put(row, e.recordedAt, e.type === 'IndicatorDefined');
          catalogueRevision = row.revision;
          break;
        }
        case 'BaselineSet':
        case 'TargetSet': {
          const { areaCode, indicatorCode } = e.data;
          const row = summaries.get({ area_code: areaCode, indicator_code: indicatorCode });
          summaries.put(summaryRowAfter(row, e), e.recordedAt);
          batch.touch(areaCode, indicatorCode, e, false);
          break;
        }
        case 'MeasurementRecorded':
        case 'MeasurementCorrected': {
          const d = e.data;
          const row = measurementRowAfter(measurements.get({ id: d.measurementId }), e);
          if (!row) throw new Error(`${e.type} for ${d.measurementId}, which the read model does not hold`);
          measurements.put(row, e.recordedAt, e.type === 'MeasurementRecorded');
          batch.touch(d.areaCode, d.indicatorCode, e, true);
          batch.touchYear(d.areaCode, d.indicatorCode, financialYearOf(row.period_end).name);
          break;
        }
      }
    }
    await catalogue.flush(ctx);
    if (catalogueRevision !== null)
      await catalogue.overwrite(ctx, 'revision', null, new Map([['', catalogueRevision]]));
    await summaries.flush(ctx);
    await measurements.flush(ctx);
    await this.writeSummaries(batch, summaries, ctx);
  }

  /**
   * Once the batch's measurements are written: for every area and indicator they touched, the summary recomputed from the measurements as they now stand: latest and
   * previous by period (the later end first; for the same end, the shorter period), count and, for counts and
   * money, the cumulative total. Last, every row of each area the batch touched takes its outcomes stream's
   * revision. The result is the one event-by-event application gives, whatever the batch boundaries.
   */
  private async writeSummaries(
    batch: OutcomesBatch,
    summaries: VersionedRows<SummaryRow>,
    ctx: ProjectionContext,
  ): Promise<void> {
    const summary = ctx.table('area_indicators');
    const m = ctx.table('measurements');
    const pairs = [...batch.pairs.values()];
    const measured = pairs.filter((p) => p.measured);
    if (measured.length > 0) {
      await ctx.query(
        `INSERT INTO ${summary} (area_code, indicator_code, updated_at, revision)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bigint[])
         ON CONFLICT (area_code, indicator_code) DO NOTHING`,
        [
          measured.map((p) => p.area),
          measured.map((p) => p.indicator),
          measured.map((p) => p.at),
          measured.map((p) => p.revision),
        ],
      );
      await ctx.query(
        `UPDATE ${summary} AS s SET
           latest_value = l.value, latest_period_label = l.period_label, latest_period_start = l.period_start,
           latest_period_end = l.period_end,
           previous_value = p.value, previous_period_label = p.period_label, previous_period_start = p.period_start,
           previous_period_end = p.period_end,
           measurement_count = t.n,
           cumulative_value = CASE WHEN c.unit = ANY($4::text[]) THEN t.total END,
           updated_at = k.at
         FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS k(area_code, indicator_code, at)
         ${summaryOfMeasurements(m)}
         LEFT JOIN ${ctx.table('indicator_catalogue')} AS c ON c.code = k.indicator_code
         WHERE s.area_code = k.area_code AND s.indicator_code = k.indicator_code`,
        [
          measured.map((p) => p.area),
          measured.map((p) => p.indicator),
          measured.map((p) => p.at),
          UNITS.filter(isAdditive),
        ],
      );
    }
    if (batch.years.size > 0) {
      const years = [...batch.years.values()];
      await ctx.query(
        `INSERT INTO ${ctx.table('area_indicator_years')} AS y (area_code, indicator_code, year, ${YEAR_SUMMARY_COLUMNS.join(', ')})
         SELECT k.area_code, k.indicator_code, k.year, ${YEAR_SUMMARY_VALUES}
           FROM unnest($1::text[], $2::text[], $3::text[]) AS k(area_code, indicator_code, year)
           ${summaryOfMeasurements(m, true)}
         ON CONFLICT (area_code, indicator_code, year) DO UPDATE SET
           ${YEAR_SUMMARY_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
        [years.map((y) => y.area), years.map((y) => y.indicator), years.map((y) => y.year)],
      );
    }
    await setAreaRevisions(ctx, summaries, batch.areaRevisions);
  }
}

/** The columns of `area_indicator_years` beside its key, and their values from summaryOfMeasurements. */
const YEAR_SUMMARY_COLUMNS = [
  'latest_value',
  'latest_period_label',
  'latest_period_start',
  'latest_period_end',
  'previous_value',
  'previous_period_label',
  'previous_period_start',
  'previous_period_end',
  'measurement_count',
  'total_value',
];
const YEAR_SUMMARY_VALUES = `l.value AS latest_value, l.period_label AS latest_period_label,
  l.period_start AS latest_period_start, l.period_end AS latest_period_end, p.value AS previous_value,
  p.period_label AS previous_period_label, p.period_start AS previous_period_start,
  p.period_end AS previous_period_end, t.n AS measurement_count, t.total AS total_value`;

/**
 * For each area and indicator `k` (area_code, indicator_code), from the measurements in `m`: the latest (`l`)
 * and previous (`p`) by period (the later end first; for the same end, the shorter period), and (`t`) how many,
 * their sum, when one last changed and the latest revision among them. The live summary and the summary at an
 * instant are both computed by it.
 */
function summaryOfMeasurements(m: string, inYear = false): string {
  // With `inYear`, of the measurements whose period ends in the financial year `k.year` (`2019-20`) only.
  const pair = `x.area_code = k.area_code AND x.indicator_code = k.indicator_code${
    inYear
      ? ` AND x.period_end >= make_date(left(k.year, 4)::int, 4, 1)
          AND x.period_end < make_date(left(k.year, 4)::int + 1, 4, 1)`
      : ''
  }`;
  const byPeriod = 'ORDER BY period_end DESC, period_start DESC, id DESC';
  return `LEFT JOIN LATERAL (
      SELECT value, period_label, period_start, period_end FROM ${m} AS x WHERE ${pair} ${byPeriod} LIMIT 1) AS l ON true
    LEFT JOIN LATERAL (
      SELECT value, period_label, period_start, period_end FROM ${m} AS x WHERE ${pair} ${byPeriod} OFFSET 1 LIMIT 1
    ) AS p ON true
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS n, sum(value) AS total, max(GREATEST(recorded_at, corrected_at)) AS last_at,
             max(revision) AS revision
        FROM ${m} AS x WHERE ${pair}) AS t`;
}

/** The columns of `measurements`, as a JSON record set of new rows names them. */
const MEASUREMENT_COLUMNS: readonly (readonly [string, string])[] = [
  ['id', 'text'],
  ['area_code', 'text'],
  ['indicator_code', 'text'],
  ['period_label', 'text'],
  ['period_start', 'date'],
  ['period_end', 'date'],
  ['value', 'numeric'],
  ['original_value', 'numeric'],
  ['sample_size', 'int'],
  ['denominator', 'int'],
  ['source', 'text'],
  ['evidence_url', 'text'],
  ['note', 'text'],
  ['corrections', 'int'],
  ['correction_reason', 'text'],
  ['recorded_at', 'timestamptz'],
  ['corrected_at', 'timestamptz'],
  ['revision', 'bigint'],
];

/** `measurements` keeps every version of its rows (as recorded, then as each correction left them). */
export const MEASUREMENTS_TABLE: VersionedTableSpec = {
  table: 'measurements',
  key: ['id'],
  columns: MEASUREMENT_COLUMNS,
  scope: ['area_code', 'indicator_code'],
};

/** `indicator_catalogue` keeps every version of its rows (each with the revision of its own event). */
export const CATALOGUE_TABLE: VersionedTableSpec = {
  table: 'indicator_catalogue',
  key: ['code'],
  columns: [
    ['code', 'text'],
    ['name', 'text'],
    ['unit', 'text'],
    ['direction', 'text'],
    ['theme', 'text'],
    ['domain', 'text'],
    ['integration_factor', 'text'],
    ['definition', 'text'],
    ['source', 'text'],
    ['retired', 'boolean'],
    ['retired_reason', 'text'],
    ['version', 'int'],
    ['defined_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['revision', 'bigint'],
  ],
  // Every row takes the catalogue stream's latest revision.
  overwritten: ['revision'],
};

/**
 * Of `area_indicators`, the columns set by the area's own events (baseline and targets) keep every version;
 * the rest is computed from `measurements` (in the live table after each batch, in SQL at an instant).
 */
export const AREA_INDICATORS_TABLE: VersionedTableSpec = {
  table: 'area_indicators',
  key: ['area_code', 'indicator_code'],
  columns: [
    ['area_code', 'text'],
    ['indicator_code', 'text'],
    ['baseline_value', 'numeric'],
    ['baseline_date', 'date'],
    ['baseline_source', 'text'],
    ['targets', 'jsonb'],
    ['updated_at', 'timestamptz'],
    ['revision', 'bigint'],
  ],
  // The summaries move updated_at on with each measurement, and every row of an area takes the area's latest
  // revision (setAreaRevisions).
  overwritten: ['updated_at', 'revision'],
  scope: ['area_code'],
};

/** What a batch has gathered in memory, in log order, for the writes at its end. */
class OutcomesBatch {
  /** Per area and indicator: when an event last touched its summary, and whether a measurement changed. */
  readonly pairs = new Map<
    string,
    { area: string; indicator: string; at: Date; revision: string; measured: boolean }
  >();
  /** The last revision of each area's outcomes stream in the batch. */
  readonly areaRevisions = new Map<string, string>();
  /** Per area, indicator and financial year, whether a measurement of a period ending in it changed. */
  readonly years = new Map<string, { area: string; indicator: string; year: string }>();

  touchYear(area: string, indicator: string, year: string): void {
    this.years.set(JSON.stringify([area, indicator, year]), { area, indicator, year });
  }

  touch(area: string, indicator: string, e: RecordedEvent, measured: boolean): void {
    const key = JSON.stringify([area, indicator]);
    const revision = e.revision.toString();
    const pair = this.pairs.get(key);
    if (pair) {
      pair.at = e.recordedAt;
      pair.measured ||= measured;
    } else this.pairs.set(key, { area, indicator, at: e.recordedAt, revision, measured });
    this.areaRevisions.set(area, revision);
  }
}
