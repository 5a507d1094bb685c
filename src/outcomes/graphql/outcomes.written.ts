import type { RecordedEvent } from '@iap/event-store';
import { NotFoundError } from '@iap/common';
import type { OutcomeEvent } from '../domain/area-outcomes.js';
import type { ReturnEvent } from '../domain/periodic-return.js';
import { parseFinancialQuarter } from '../../shared/periods.js';
import { type Direction, type IndicatorEvent, type Unit, isAdditive } from '../domain/indicator.js';
import type {
  AreaIndicatorType,
  IndicatorType,
  MeasurementType,
  PeriodicReturnType,
} from './outcomes.types.js';
import { type ReturnRow, notSubmitted, toAreaIndicator, toReturn } from './read-model.js';

/**
 * Outcomes records as their streams' events wrote them, with the projection's rules: what the outcomes
 * mutations answer while the `outcomes` read model catches up (see ReadYourWrites).
 */

type Recorded<E> = RecordedEvent & E;

/** An indicator of the catalogue after the catalogue stream's events. */
export function indicatorWritten(stream: readonly RecordedEvent[], code: string): IndicatorType {
  let row: IndicatorType | undefined;
  for (const e of stream as unknown as readonly Recorded<IndicatorEvent>[]) {
    if (e.data.code !== code) continue;
    const at = e.recordedAt;
    if (e.type === 'IndicatorDefined') {
      const d = e.data;
      row = {
        code,
        name: d.name,
        unit: d.unit,
        direction: d.direction,
        theme: d.theme,
        domain: d.domain,
        integrationFactor: d.integrationFactor ?? null,
        definition: d.definition,
        source: d.source,
        retired: false,
        retiredReason: null,
        version: 1,
        revision: 0,
        definedAt: at,
        updatedAt: at,
      } as IndicatorType;
    } else if (row) {
      const change =
        e.type === 'IndicatorRevised'
          ? {
              name: e.data.name,
              theme: e.data.theme,
              domain: e.data.domain,
              integrationFactor: e.data.integrationFactor ?? null,
              definition: e.data.definition,
              source: e.data.source,
            }
          : { retired: true, retiredReason: e.data.reason };
      row = { ...row, ...change, version: row.version + 1, updatedAt: at } as IndicatorType;
    }
  }
  if (!row) throw new NotFoundError(`No indicator ${code}`);
  // Every indicator answers with the catalogue's revision.
  return { ...row, revision: Number(stream[stream.length - 1].revision) };
}

/** The area's measurements after its outcomes stream's events (as the `measurements` table holds them). */
function measurementsOf(stream: readonly RecordedEvent[]): Map<string, MeasurementType> {
  const rows = new Map<string, MeasurementType>();
  for (const e of stream as unknown as readonly Recorded<OutcomeEvent>[]) {
    if (e.type === 'MeasurementRecorded') {
      const d = e.data;
      rows.set(d.measurementId, {
        id: d.measurementId,
        areaCode: d.areaCode,
        indicatorCode: d.indicatorCode,
        periodLabel: d.periodLabel,
        periodStart: d.periodStart,
        periodEnd: d.periodEnd,
        value: d.value,
        originalValue: d.value,
        sampleSize: d.sampleSize ?? null,
        denominator: d.denominator ?? null,
        source: d.source,
        evidenceUrl: d.evidenceUrl ?? null,
        note: d.note ?? null,
        corrections: 0,
        correctionReason: null,
        recordedAt: e.recordedAt,
        correctedAt: null,
        revision: 0,
      } as MeasurementType);
    } else if (e.type === 'MeasurementCorrected') {
      const row = rows.get(e.data.measurementId);
      if (!row) continue;
      rows.set(row.id, {
        ...row,
        value: e.data.value,
        sampleSize: e.data.sampleSize ?? null,
        denominator: e.data.denominator ?? null,
        corrections: row.corrections + 1,
        correctionReason: e.data.reason,
        correctedAt: e.recordedAt,
      });
    }
  }
  return rows;
}

function streamRevision(stream: readonly RecordedEvent[]): number {
  return stream.length > 0 ? Number(stream[stream.length - 1].revision) : 0;
}

export function measurementWritten(stream: readonly RecordedEvent[], id: string): MeasurementType {
  const row = measurementsOf(stream).get(id);
  if (!row) throw new NotFoundError(`No measurement ${id}`);
  return { ...row, revision: streamRevision(stream) };
}

/** Later period end first; for the same end, the later start (the shorter period); then the greater id. */
function byPeriod(a: MeasurementType, b: MeasurementType): number {
  if (a.periodEnd !== b.periodEnd) return a.periodEnd < b.periodEnd ? 1 : -1;
  if (a.periodStart !== b.periodStart) return a.periodStart < b.periodStart ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** An area's standing on an indicator after its outcomes stream's events. */
export function areaIndicatorWritten(
  stream: readonly RecordedEvent[],
  areaCode: string,
  indicatorCode: string,
  indicator: { direction: Direction; unit: Unit },
): AreaIndicatorType {
  let baseline: { value: number; date: string; source: string } | null = null;
  let targets: { date: string; value: number }[] = [];
  let updatedAt: Date | null = null;
  for (const e of stream as unknown as readonly Recorded<OutcomeEvent>[]) {
    if (e.data.indicatorCode !== indicatorCode) continue;
    updatedAt = e.recordedAt;
    if (e.type === 'BaselineSet')
      baseline = { value: e.data.value, date: e.data.date, source: e.data.source };
    else if (e.type === 'TargetSet') {
      const { date, value } = e.data;
      targets = [...targets.filter((t) => t.date !== date), { date, value }].sort((a, b) =>
        a.date < b.date ? -1 : a.date > b.date ? 1 : 0,
      );
    }
  }
  if (!updatedAt) throw new NotFoundError(`${areaCode} has nothing recorded for ${indicatorCode} yet`);
  const measured = [...measurementsOf(stream).values()]
    .filter((m) => m.indicatorCode === indicatorCode)
    .sort(byPeriod);
  const [latest, previous] = measured;
  const total = measured.reduce((sum, m) => sum + m.value, 0);
  return toAreaIndicator({
    areaCode,
    indicatorCode,
    direction: indicator.direction,
    baselineValue: baseline?.value ?? null,
    baselineDate: baseline?.date ?? null,
    baselineSource: baseline?.source ?? null,
    targets,
    latestValue: latest?.value ?? null,
    latestLabel: latest?.periodLabel ?? null,
    latestStart: latest?.periodStart ?? null,
    latestEnd: latest?.periodEnd ?? null,
    previousValue: previous?.value ?? null,
    previousLabel: previous?.periodLabel ?? null,
    previousStart: previous?.periodStart ?? null,
    previousEnd: previous?.periodEnd ?? null,
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
  let row = null as ReturnRow | null;
  for (const e of stream as unknown as readonly Recorded<ReturnEvent>[]) {
    if (e.data.quarter !== quarter) continue;
    if (e.type === 'ReturnSubmitted') {
      const q = parseFinancialQuarter(quarter)!;
      row = {
        areaCode,
        quarter,
        startDate: q.start,
        endDate: q.end,
        comments: null,
        ...row,
        status: 'SUBMITTED',
        note: e.data.note,
        snapshot: e.data.snapshot,
        submissions: (row?.submissions ?? 0) + 1,
        submittedAt: e.recordedAt,
        decidedAt: null,
        revision: 0,
      };
    } else if (row) {
      row = {
        ...row,
        status: e.type === 'ReturnApproved' ? 'APPROVED' : 'SENT_BACK',
        comments: e.data.comments || null,
        decidedAt: e.recordedAt,
      };
    }
  }
  const revision = streamRevision(stream);
  return row ? toReturn({ ...row, revision }) : notSubmitted(areaCode, quarter, revision);
}
