import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import type { OutcomeEvent } from '../domain/area-outcomes.js';
import { type IndicatorEvent, type Unit, isAdditive } from '../domain/indicator.js';

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
    const measurements = ctx.table('measurements');
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
          await this.stamp(ctx, areaCode, revision);
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
          await this.stamp(ctx, areaCode, revision);
          break;
        }
        case 'MeasurementRecorded': {
          const d = e.data;
          await ctx.query(
            `INSERT INTO ${measurements} (id, area_code, indicator_code, period_label, period_start, period_end, value,
               original_value, sample_size, denominator, source, evidence_url, note, recorded_at, revision)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13, $14)`,
            [
              d.measurementId,
              d.areaCode,
              d.indicatorCode,
              d.periodLabel,
              d.periodStart,
              d.periodEnd,
              d.value,
              d.sampleSize ?? null,
              d.denominator ?? null,
              d.source,
              d.evidenceUrl ?? null,
              d.note ?? null,
              e.recordedAt,
              revision,
            ],
          );
          await this.recompute(ctx, d.areaCode, d.indicatorCode, e);
          await this.stamp(ctx, d.areaCode, revision);
          break;
        }
        case 'MeasurementCorrected': {
          const d = e.data;
          await ctx.query(
            `UPDATE ${measurements} SET value = $2, sample_size = $3, denominator = $4, corrections = corrections + 1,
               correction_reason = $5, corrected_at = $6, revision = $7
             WHERE id = $1`,
            [
              d.measurementId,
              d.value,
              d.sampleSize ?? null,
              d.denominator ?? null,
              d.reason,
              e.recordedAt,
              revision,
            ],
          );
          await this.recompute(ctx, d.areaCode, d.indicatorCode, e);
          await this.stamp(ctx, d.areaCode, revision);
          break;
        }
      }
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

  /** Every row of the area's summary carries its outcomes stream's current revision. */
  private async stamp(ctx: ProjectionContext, areaCode: string, revision: string): Promise<void> {
    await ctx.query(`UPDATE ${ctx.table('area_indicators')} SET revision = $2 WHERE area_code = $1`, [
      areaCode,
      revision,
    ]);
  }

  /**
   * Latest and previous by period (the later end first; for the same end, the shorter period), count and
   * cumulative total, all from the measurements as they now stand.
   */
  private async recompute(
    ctx: ProjectionContext,
    areaCode: string,
    indicatorCode: string,
    e: Event,
  ): Promise<void> {
    await this.ensureSummary(ctx, areaCode, indicatorCode, e);
    const m = ctx.table('measurements');
    const recent = await ctx.query<{ value: string; label: string; start: string; end: string }>(
      `SELECT value::text AS value, period_label AS label, period_start::text AS start, period_end::text AS end
         FROM ${m} WHERE area_code = $1 AND indicator_code = $2
        ORDER BY period_end DESC, period_start DESC, id DESC LIMIT 2`,
      [areaCode, indicatorCode],
    );
    const [totals] = await ctx.query<{ n: number; total: string | null }>(
      `SELECT count(*)::int AS n, sum(value)::text AS total FROM ${m} WHERE area_code = $1 AND indicator_code = $2`,
      [areaCode, indicatorCode],
    );
    const [indicator] = await ctx.query<{ unit: Unit }>(
      `SELECT unit FROM ${ctx.table('indicator_catalogue')} WHERE code = $1`,
      [indicatorCode],
    );
    const cumulative = indicator && isAdditive(indicator.unit) ? totals.total : null;
    const [latest, previous] = recent;
    await ctx.query(
      `UPDATE ${ctx.table('area_indicators')} SET
         latest_value = $3, latest_period_label = $4, latest_period_start = $5, latest_period_end = $6,
         previous_value = $7, previous_period_label = $8, previous_period_start = $9, previous_period_end = $10,
         measurement_count = $11, cumulative_value = $12, updated_at = $13
       WHERE area_code = $1 AND indicator_code = $2`,
      [
        areaCode,
        indicatorCode,
        latest?.value ?? null,
        latest?.label ?? null,
        latest?.start ?? null,
        latest?.end ?? null,
        previous?.value ?? null,
        previous?.label ?? null,
        previous?.start ?? null,
        previous?.end ?? null,
        totals.n,
        cumulative,
        e.recordedAt,
      ],
    );
  }
}
