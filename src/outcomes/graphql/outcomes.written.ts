import type { EventStore, RecordedEvent } from '@iap/event-store';
import type { DataSource } from 'typeorm';
import { loadIndicatorCatalogue } from '../commands/indicator.commands.js';
import { returnSnapshot } from '../commands/return.commands.js';
import { NotFoundError } from '@iap/common';
import type { OutcomeEvent } from '../domain/area-outcomes.js';
import type { ReturnEvent, ReturnSnapshot, ReturnStatus } from '../domain/periodic-return.js';
import { type Direction, type IndicatorEvent, type Unit, isAdditive } from '../domain/indicator.js';
import {
  type CatalogueRow,
  type MeasurementRow,
  type ReturnRow,
  type SummaryRow,
  catalogueRowAfter,
  measurementRowAfter,
  returnRowAfter,
  summaryRowAfter,
} from '../projections/outcomes.rows.js';
import type {
  AreaIndicatorType,
  IndicatorType,
  MeasurementType,
  PeriodicReturnType,
  ReturnSnapshotType,
} from './outcomes.types.js';
import { notSubmitted, toAreaIndicator, toReturn, toSnapshot } from './outcomes.read.js';

/**
 * Outcomes records as their streams' events wrote them, folded by the projections' own row functions
 * (`outcomes.rows.ts`): what the outcomes mutations answer while the read models catch up (see ReadYourWrites).
 */

type Recorded<E> = RecordedEvent & E;

function streamRevision(stream: readonly RecordedEvent[]): number {
  return stream.length > 0 ? Number(stream[stream.length - 1].revision) : 0;
}

/** An indicator of the catalogue after the catalogue stream's events. */
export function indicatorWritten(stream: readonly RecordedEvent[], code: string): IndicatorType {
  let row: CatalogueRow | undefined;
  for (const e of stream as unknown as readonly Recorded<IndicatorEvent>[])
    if (e.data.code === code) row = catalogueRowAfter(row, e);
  if (!row) throw new NotFoundError(`No indicator ${code}`);
  return {
    code: row.code,
    name: row.name,
    unit: row.unit,
    direction: row.direction,
    theme: row.theme,
    domain: row.domain,
    integrationFactor: row.integration_factor,
    definition: row.definition,
    source: row.source,
    retired: row.retired,
    retiredReason: row.retired_reason,
    version: row.version,
    definedAt: row.defined_at,
    updatedAt: row.updated_at,
    // Every indicator answers with the catalogue's revision.
    revision: streamRevision(stream),
  } as IndicatorType;
}

/** The area's measurements after its outcomes stream's events (as the `measurements` table holds them). */
function measurementsOf(stream: readonly RecordedEvent[]): Map<string, MeasurementRow> {
  const rows = new Map<string, MeasurementRow>();
  for (const e of stream as unknown as readonly Recorded<OutcomeEvent>[]) {
    if (e.type !== 'MeasurementRecorded' && e.type !== 'MeasurementCorrected') continue;
    const row = measurementRowAfter(rows.get(e.data.measurementId), e);
    if (row) rows.set(row.id, row);
  }
  return rows;
}

export function measurementWritten(stream: readonly RecordedEvent[], id: string): MeasurementType {
  const row = measurementsOf(stream).get(id);
  if (!row) throw new NotFoundError(`No measurement ${id}`);
  return {
    id: row.id,
    areaCode: row.area_code,
    indicatorCode: row.indicator_code,
    periodLabel: row.period_label,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    value: row.value,
    originalValue: row.original_value,
    sampleSize: row.sample_size,
    denominator: row.denominator,
    source: row.source,
    evidenceUrl: row.evidence_url,
    note: row.note,
    corrections: row.corrections,
    correctionReason: row.correction_reason,
    recordedAt: row.recorded_at,
    correctedAt: row.corrected_at,
    revision: streamRevision(stream),
  } as MeasurementType;
}

/** Later period end first; for the same end, the later start (the shorter period); then the greater id. */
function byPeriod(a: MeasurementRow, b: MeasurementRow): number {
  if (a.period_end !== b.period_end) return a.period_end < b.period_end ? 1 : -1;
  if (a.period_start !== b.period_start) return a.period_start < b.period_start ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * An area's standing on an indicator after its outcomes stream's events, with the indicator's direction and unit
 * from the catalogue's stream.
 */
export async function areaIndicatorWrittenOf(
  store: EventStore,
  stream: readonly RecordedEvent[],
  areaCode: string,
  indicatorCode: string,
): Promise<AreaIndicatorType> {
  const indicator = (await loadIndicatorCatalogue(store)).get(indicatorCode);
  if (!indicator) throw new NotFoundError(`No indicator ${indicatorCode}`);
  return areaIndicatorWritten(stream, areaCode, indicatorCode, indicator);
}

/** An area's standing on an indicator after its outcomes stream's events. */
export function areaIndicatorWritten(
  stream: readonly RecordedEvent[],
  areaCode: string,
  indicatorCode: string,
  indicator: { direction: Direction; unit: Unit },
): AreaIndicatorType {
  let summary: SummaryRow | undefined;
  let updatedAt: Date | null = null;
  for (const e of stream as unknown as readonly Recorded<OutcomeEvent>[]) {
    if (e.data.indicatorCode !== indicatorCode) continue;
    updatedAt = e.recordedAt;
    if (e.type === 'BaselineSet' || e.type === 'TargetSet') summary = summaryRowAfter(summary, e);
  }
  if (!updatedAt) throw new NotFoundError(`${areaCode} has nothing recorded for ${indicatorCode} yet`);
  const measured = [...measurementsOf(stream).values()]
    .filter((m) => m.indicator_code === indicatorCode)
    .sort(byPeriod);
  const [latest, previous] = measured;
  const total = measured.reduce((sum, m) => sum + m.value, 0);
  return toAreaIndicator({
    areaCode,
    indicatorCode,
    direction: indicator.direction,
    baselineValue: summary?.baseline_value == null ? null : Number(summary.baseline_value),
    baselineDate: summary?.baseline_date ?? null,
    baselineSource: summary?.baseline_source ?? null,
    targets: summary?.targets ?? [],
    latestValue: latest?.value ?? null,
    latestLabel: latest?.period_label ?? null,
    latestStart: latest?.period_start ?? null,
    latestEnd: latest?.period_end ?? null,
    previousValue: previous?.value ?? null,
    previousLabel: previous?.period_label ?? null,
    previousStart: previous?.period_start ?? null,
    previousEnd: previous?.period_end ?? null,
    measurementCount: measured.length,
    cumulative: measured.length > 0 && isAdditive(indicator.unit) ? total : null,
    updatedAt,
    revision: streamRevision(stream),
  });
}

/** An area's return for a quarter after its returns stream's events. */
export function returnWritten(
  stream: readonly RecordedEvent[],
  areaCode: string,
  quarter: string,
): PeriodicReturnType {
  let row: ReturnRow | undefined;
  for (const e of stream as unknown as readonly Recorded<ReturnEvent>[])
    if (e.data.quarter === quarter) row = returnRowAfter(row, e);
  const revision = streamRevision(stream);
  if (!row) return notSubmitted(areaCode, quarter, revision);
  return toReturn({
    areaCode,
    quarter,
    startDate: row.quarter_start,
    endDate: row.quarter_end,
    status: row.status as ReturnStatus,
    note: row.note,
    snapshot: row.snapshot as ReturnSnapshot,
    submissions: row.submissions,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
    comments: row.comments,
    revision,
  });
}

/**
 * What a return would report if it were submitted now (the figures a submission takes), taken from the events as
 * the submission takes them.
 */
export async function returnPreview(
  store: EventStore,
  db: DataSource,
  areaCode: string,
  quarter: string,
): Promise<ReturnSnapshotType> {
  return toSnapshot(await returnSnapshot(store, db, areaCode, quarter));
}
