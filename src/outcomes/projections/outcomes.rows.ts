import type { RecordedEvent } from '@iap/event-store';
import { parseFinancialQuarter } from '../../shared/periods.js';
import type { OutcomeEvent } from '../domain/area-outcomes.js';
import type { IndicatorEvent } from '../domain/indicator.js';
import type { ReturnEvent } from '../domain/periodic-return.js';

/**
 * The outcomes read-model rows as events leave them: one pure function per row shape, folded by the
 * projections (a batch at a time, into the tables) and by the mutations' answers while the read models catch up
 * (`outcomes.written.ts`, a stream at a time). Each takes the row before the event (undefined for none) and
 * answers the row after it, or undefined for an event that changes a row that does not exist.
 */

type Recorded<E> = RecordedEvent & E;

/** A row of `indicator_catalogue`. */
export interface CatalogueRow extends Record<string, unknown> {
  code: string;
  name: string;
  unit: string;
  direction: string;
  theme: string;
  domain: string;
  integration_factor: string | null;
  definition: string;
  source: string;
  retired: boolean;
  retired_reason: string | null;
  version: number;
  defined_at: Date;
  updated_at: Date;
  revision: string;
}

export function catalogueRowAfter(
  row: CatalogueRow | undefined,
  e: Recorded<IndicatorEvent>,
): CatalogueRow | undefined {
  const at = e.recordedAt;
  const revision = e.revision.toString();
  if (e.type === 'IndicatorDefined') {
    const d = e.data;
    return {
      code: d.code,
      name: d.name,
      unit: d.unit,
      direction: d.direction,
      theme: d.theme,
      domain: d.domain,
      integration_factor: d.integrationFactor ?? null,
      definition: d.definition,
      source: d.source,
      retired: false,
      retired_reason: null,
      version: 1,
      defined_at: at,
      updated_at: at,
      revision,
    };
  }
  if (!row) return undefined;
  const change =
    e.type === 'IndicatorRevised'
      ? {
          name: e.data.name,
          theme: e.data.theme,
          domain: e.data.domain,
          integration_factor: e.data.integrationFactor ?? null,
          definition: e.data.definition,
          source: e.data.source,
        }
      : { retired: true, retired_reason: e.data.reason };
  return { ...row, ...change, version: row.version + 1, updated_at: at, revision };
}

/** A row of `measurements`. */
export interface MeasurementRow extends Record<string, unknown> {
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

export function measurementRowAfter(
  row: MeasurementRow | undefined,
  e: Recorded<Extract<OutcomeEvent, { type: 'MeasurementRecorded' | 'MeasurementCorrected' }>>,
): MeasurementRow | undefined {
  const at = e.recordedAt;
  const revision = e.revision.toString();
  if (e.type === 'MeasurementRecorded') {
    const d = e.data;
    return {
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
      recorded_at: at,
      corrected_at: null,
      revision,
    };
  }
  if (!row) return undefined;
  const d = e.data;
  return {
    ...row,
    value: d.value,
    sample_size: d.sampleSize ?? null,
    denominator: d.denominator ?? null,
    corrections: row.corrections + 1,
    correction_reason: d.reason,
    corrected_at: at,
    revision,
  };
}

/** The part of an `area_indicators` row that the area's own events set: baseline and targets. */
export interface SummaryRow extends Record<string, unknown> {
  area_code: string;
  indicator_code: string;
  baseline_value: number | string | null;
  baseline_date: string | null;
  baseline_source: string | null;
  targets: { date: string; value: number }[];
  updated_at: Date;
  revision: string;
}

export function summaryRowAfter(
  row: SummaryRow | undefined,
  e: Recorded<Extract<OutcomeEvent, { type: 'BaselineSet' | 'TargetSet' }>>,
): SummaryRow {
  const at = e.recordedAt;
  const revision = e.revision.toString();
  const before: SummaryRow = row ?? {
    area_code: e.data.areaCode,
    indicator_code: e.data.indicatorCode,
    baseline_value: null,
    baseline_date: null,
    baseline_source: null,
    targets: [],
    updated_at: at,
    revision,
  };
  const change =
    e.type === 'BaselineSet'
      ? { baseline_value: e.data.value, baseline_date: e.data.date, baseline_source: e.data.source }
      : {
          targets: [
            ...before.targets.filter((t) => t.date !== e.data.date),
            { date: e.data.date, value: e.data.value },
          ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
        };
  return { ...before, ...change, updated_at: at, revision };
}

/** A row of `periodic_returns`. */
export interface ReturnRow extends Record<string, unknown> {
  area_code: string;
  quarter: string;
  quarter_start: string;
  quarter_end: string;
  status: string;
  note: string;
  snapshot: unknown;
  submissions: number;
  submitted_at: Date | null;
  decided_at: Date | null;
  comments: string | null;
  revision: string;
}

export function returnRowAfter(row: ReturnRow | undefined, e: Recorded<ReturnEvent>): ReturnRow | undefined {
  const revision = e.revision.toString();
  if (e.type === 'ReturnSubmitted') {
    const submitted = {
      status: 'SUBMITTED',
      note: e.data.note,
      snapshot: e.data.snapshot,
      submitted_at: e.recordedAt,
      decided_at: null,
      revision,
    };
    if (row) return { ...row, ...submitted, submissions: row.submissions + 1 };
    const q = parseFinancialQuarter(e.data.quarter)!;
    return {
      area_code: e.data.areaCode,
      quarter: e.data.quarter,
      quarter_start: q.start,
      quarter_end: q.end,
      comments: null,
      submissions: 1,
      ...submitted,
    };
  }
  if (!row) return undefined;
  return {
    ...row,
    status: e.type === 'ReturnApproved' ? 'APPROVED' : 'SENT_BACK',
    comments: e.data.comments || null,
    decided_at: e.recordedAt,
    revision,
  };
}
