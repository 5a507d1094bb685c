import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import type { OutcomeEvent } from '../domain/area-outcomes.js';
import { type IndicatorEvent, UNITS, isAdditive } from '../domain/indicator.js';

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
  readonly tables = ['indicator_catalogue', 'area_indicators', 'measurements'];
  readonly eventTypes = [
    'IndicatorDefined',
    'IndicatorRevised',
    'IndicatorRetired',
    'BaselineSet',
    'TargetSet',
    'MeasurementRecorded',
    'MeasurementCorrected',
  ];

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const catalogue = ctx.table('indicator_catalogue');
    const summary = ctx.table('area_indicators');
    const batch = new OutcomesBatch();
    for (const e of events as readonly Event[]) {
      const revision = e.revision.toString();
      switch (e.type) {
        case 'IndicatorDefined': {
          const d = e.data;
          await ctx.query(
            `INSERT INTO ${catalogue} (code, name, unit, direction, theme, domain, integration_factor, definition, source,
               version, defined_at, updated_at, revision)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10, $11)`,
            [
              d.code,
              d.name,
              d.unit,
              d.direction,
              d.theme,
              d.domain,
              d.integrationFactor ?? null,
              d.definition,
              d.source,
              e.recordedAt,
              revision,
            ],
          );
          await ctx.query(`UPDATE ${catalogue} SET revision = $1`, [revision]);
          break;
        }
        case 'IndicatorRevised': {
          const d = e.data;
          await ctx.query(
            `UPDATE ${catalogue} SET name = $2, theme = $3, domain = $4, integration_factor = $5, definition = $6, source = $7,
               version = version + 1, updated_at = $8
             WHERE code = $1`,
            [
              d.code,
              d.name,
              d.theme,
              d.domain,
              d.integrationFactor ?? null,
              d.definition,
              d.source,
              e.recordedAt,
            ],
          );
          await ctx.query(`UPDATE ${catalogue} SET revision = $1`, [revision]);
          break;
        }
        case 'IndicatorRetired':
          await ctx.query(
            `UPDATE ${catalogue} SET retired = true, retired_reason = $2, version = version + 1, updated_at = $3 WHERE code = $1`,
            [e.data.code, e.data.reason, e.recordedAt],
          );
          await ctx.query(`UPDATE ${catalogue} SET revision = $1`, [revision]);
          break;
        case 'BaselineSet': {
          const { areaCode, indicatorCode, value, date, source } = e.data;
          await this.ensureSummary(ctx, areaCode, indicatorCode, e);
          await ctx.query(
            `UPDATE ${summary} SET baseline_value = $3, baseline_date = $4, baseline_source = $5, updated_at = $6
             WHERE area_code = $1 AND indicator_code = $2`,
            [areaCode, indicatorCode, value, date, source, e.recordedAt],
          );
          batch.touch(areaCode, indicatorCode, e, false);
          break;
        }
        case 'TargetSet': {
          const { areaCode, indicatorCode, value, date } = e.data;
          await this.ensureSummary(ctx, areaCode, indicatorCode, e);
          const [row] = await ctx.query<{ targets: { date: string; value: number }[] }>(
            `SELECT targets FROM ${summary} WHERE area_code = $1 AND indicator_code = $2`,
            [areaCode, indicatorCode],
          );
          const targets = [...row.targets.filter((t) => t.date !== date), { date, value }].sort((a, b) =>
            a.date < b.date ? -1 : a.date > b.date ? 1 : 0,
          );
          await ctx.query(
            `UPDATE ${summary} SET targets = $3::jsonb, updated_at = $4 WHERE area_code = $1 AND indicator_code = $2`,
            [areaCode, indicatorCode, JSON.stringify(targets), e.recordedAt],
          );
          batch.touch(areaCode, indicatorCode, e, false);
          break;
        }
        case 'MeasurementRecorded': {
          const d = e.data;
          batch.recorded.set(d.measurementId, {
            id: d.measurementId,
            area_code: d.areaCode,
            indicator_code: d.indicatorCode,
            period_label: d.periodLabel,
            period_start: d.periodStart,
            period_end: d.periodEnd,
            value: d.value,
            original_value: d.value,
            sample_size: d.sampleSize ?? null,
            denominator: d.denominator ?? null,
            source: d.source,
            evidence_url: d.evidenceUrl ?? null,
            note: d.note ?? null,
            corrections: 0,
            correction_reason: null,
            recorded_at: e.recordedAt,
            corrected_at: null,
            revision,
          });
          batch.touch(d.areaCode, d.indicatorCode, e, true);
          break;
        }
        case 'MeasurementCorrected': {
          const d = e.data;
          const change = {
            value: d.value,
            sample_size: d.sampleSize ?? null,
            denominator: d.denominator ?? null,
            correction_reason: d.reason,
            corrected_at: e.recordedAt,
            revision,
          };
          const fresh = batch.recorded.get(d.measurementId);
          if (fresh) Object.assign(fresh, change, { corrections: fresh.corrections + 1 });
          else {
            const earlier = batch.corrected.get(d.measurementId);
            batch.corrected.set(d.measurementId, {
              id: d.measurementId,
              ...change,
              corrections: (earlier?.corrections ?? 0) + 1,
            });
          }
          batch.touch(d.areaCode, d.indicatorCode, e, true);
          break;
        }
      }
    }
    await this.writeMeasurements(batch, ctx);
  }

  /**
   * The batch's measurements written as sets (new ones, then corrections to earlier ones), then, for every area
   * and indicator they touched, the summary recomputed from the measurements as they now stand: latest and
   * previous by period (the later end first; for the same end, the shorter period), count and, for counts and
   * money, the cumulative total. Last, every row of each area the batch touched takes its outcomes stream's
   * revision. The result is the one event-by-event application gives, whatever the batch boundaries.
   */
  private async writeMeasurements(batch: OutcomesBatch, ctx: ProjectionContext): Promise<void> {
    const summary = ctx.table('area_indicators');
    const m = ctx.table('measurements');
    if (batch.recorded.size > 0)
      await ctx.query(
        `INSERT INTO ${m} (${MEASUREMENT_COLUMNS.map(([c]) => c).join(', ')})
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${MEASUREMENT_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})`,
        [JSON.stringify([...batch.recorded.values()])],
      );
    if (batch.corrected.size > 0)
      await ctx.query(
        `UPDATE ${m} AS m SET value = c.value, sample_size = c.sample_size, denominator = c.denominator,
           corrections = m.corrections + c.corrections, correction_reason = c.correction_reason,
           corrected_at = c.corrected_at, revision = c.revision
         FROM jsonb_to_recordset($1::jsonb) AS c(id text, value numeric, sample_size int, denominator int,
           corrections int, correction_reason text, corrected_at timestamptz, revision bigint)
         WHERE m.id = c.id`,
        [JSON.stringify([...batch.corrected.values()])],
      );
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
         LEFT JOIN LATERAL (
           SELECT value, period_label, period_start, period_end FROM ${m} AS x
            WHERE x.area_code = k.area_code AND x.indicator_code = k.indicator_code
            ORDER BY period_end DESC, period_start DESC, id DESC LIMIT 1) AS l ON true
         LEFT JOIN LATERAL (
           SELECT value, period_label, period_start, period_end FROM ${m} AS x
            WHERE x.area_code = k.area_code AND x.indicator_code = k.indicator_code
            ORDER BY period_end DESC, period_start DESC, id DESC OFFSET 1 LIMIT 1) AS p ON true
         CROSS JOIN LATERAL (
           SELECT count(*)::int AS n, sum(value) AS total FROM ${m} AS x
            WHERE x.area_code = k.area_code AND x.indicator_code = k.indicator_code) AS t
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
    if (batch.areaRevisions.size > 0) {
      const areas = [...batch.areaRevisions.keys()];
      await ctx.query(
        `UPDATE ${summary} AS s SET revision = r.revision
           FROM unnest($1::text[], $2::bigint[]) AS r(area_code, revision)
          WHERE s.area_code = r.area_code AND s.revision IS DISTINCT FROM r.revision`,
        [areas, areas.map((a) => batch.areaRevisions.get(a)!)],
      );
    }
  }

  private async ensureSummary(
    ctx: ProjectionContext,
    areaCode: string,
    indicatorCode: string,
    e: Event,
  ): Promise<void> {
    await ctx.query(
      `INSERT INTO ${ctx.table('area_indicators')} (area_code, indicator_code, updated_at, revision)
       VALUES ($1, $2, $3, $4) ON CONFLICT (area_code, indicator_code) DO NOTHING`,
      [areaCode, indicatorCode, e.recordedAt, e.revision.toString()],
    );
  }
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

interface MeasurementRow {
  id: string;
  area_code: string;
  indicator_code: string;
  period_label: string;
  period_start: string;
  period_end: string;
  value: number;
  original_value: number;
  sample_size: number | null;
  denominator: number | null;
  source: string;
  evidence_url: string | null;
  note: string | null;
  corrections: number;
  correction_reason: string | null;
  recorded_at: Date;
  corrected_at: Date | null;
  revision: string;
}

/** Corrections a batch makes to a measurement recorded in an earlier batch: the last figures, and how many. */
type MeasurementCorrection = Pick<
  MeasurementRow,
  | 'id'
  | 'value'
  | 'sample_size'
  | 'denominator'
  | 'corrections'
  | 'correction_reason'
  | 'corrected_at'
  | 'revision'
>;

/** What a batch has gathered in memory, in log order, for the writes at its end. */
class OutcomesBatch {
  readonly recorded = new Map<string, MeasurementRow>();
  readonly corrected = new Map<string, MeasurementCorrection>();
  /** Per area and indicator: when an event last touched its summary, and whether a measurement changed. */
  readonly pairs = new Map<
    string,
    { area: string; indicator: string; at: Date; revision: string; measured: boolean }
  >();
  /** The last revision of each area's outcomes stream in the batch. */
  readonly areaRevisions = new Map<string, string>();

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
