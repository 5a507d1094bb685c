import { BadUserInputError, ConflictError, NotFoundError } from '@iap/common';
import type { Decider } from '@iap/event-store';
import { isIsoDate } from '../../shared/periods.js';
import { type Unit, checkValue } from './indicator.js';
import { type AreaFacts, type ReturnsState, checkDateOpen, checkPilot } from './periodic-return.js';

/**
 * One pilot area's outcomes: per indicator a baseline, targets (value by date) and measurements. A
 * measurement is stored as reported for its period (incremental, with explicit start and end dates); there
 * is one per area, indicator and period, and it changes only by a correction with a reason, which keeps the
 * previous value in history. Cumulative figures belong to read models.
 */
export function outcomesStream(areaCode: string): string {
  return `outcomes-${areaCode}`;
}

export const MAX_INT = 2_147_483_647;

export interface BaselineSet {
  readonly type: 'BaselineSet';
  readonly data: { areaCode: string; indicatorCode: string; value: number; date: string; source: string };
}
export interface TargetSet {
  readonly type: 'TargetSet';
  readonly data: { areaCode: string; indicatorCode: string; value: number; date: string };
}
export interface MeasurementData {
  readonly measurementId: string;
  readonly indicatorCode: string;
  /** How the period is called in the source, e.g. `2019-20 Q1` or `Community survey Oct 2019 to Sep 2020`. */
  readonly periodLabel: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly value: number;
  readonly sampleSize?: number;
  readonly denominator?: number;
  readonly source: string;
  readonly evidenceUrl?: string;
  readonly note?: string;
}
export interface MeasurementRecorded {
  readonly type: 'MeasurementRecorded';
  readonly data: { areaCode: string } & MeasurementData;
}
export interface MeasurementCorrected {
  readonly type: 'MeasurementCorrected';
  readonly data: {
    areaCode: string;
    measurementId: string;
    indicatorCode: string;
    value: number;
    /** The sample size and denominator after the correction (unchanged ones carried over). */
    sampleSize?: number;
    denominator?: number;
    reason: string;
    previousValue: number;
  };
}
export type OutcomeEvent = BaselineSet | TargetSet | MeasurementRecorded | MeasurementCorrected;

/** Facts from elsewhere that the handler loads and passes in. */
export interface OutcomeFacts {
  /** The area (areas context): must be a registered pilot. */
  readonly area: AreaFacts;
  /** The indicator catalogue (structurally, IndicatorCatalogue). */
  readonly indicators: ReadonlyMap<string, { readonly unit: Unit; readonly retired: boolean }>;
  /** The area's periodic returns: a quarter whose return is submitted or approved is locked. */
  readonly returns: ReturnsState;
}

export type OutcomeCommand =
  | {
      type: 'SetBaseline';
      areaCode: string;
      indicatorCode: string;
      value: number;
      date: string;
      source: string;
      facts: OutcomeFacts;
    }
  | {
      type: 'SetTarget';
      areaCode: string;
      indicatorCode: string;
      value: number;
      date: string;
      facts: OutcomeFacts;
    }
  | ({ type: 'RecordMeasurement'; areaCode: string; facts: OutcomeFacts } & MeasurementData)
  | {
      type: 'CorrectMeasurement';
      areaCode: string;
      measurementId: string;
      value: number;
      /** Omitted: unchanged. */
      sampleSize?: number;
      denominator?: number;
      reason: string;
      facts: OutcomeFacts;
    };

/** A domain command without the facts: what a caller asks for; the handler adds the facts. */
export type OutcomeRequest = OutcomeCommand extends infer C
  ? C extends OutcomeCommand
    ? Omit<C, 'facts'>
    : never
  : never;

export interface MeasurementEntry {
  readonly indicatorCode: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly value: number;
  readonly sampleSize?: number;
  readonly denominator?: number;
}

export interface AreaOutcomes {
  readonly baselines: ReadonlyMap<string, { value: number; date: string; source: string }>;
  /** Per indicator: target value by ISO date. */
  readonly targets: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly measurements: ReadonlyMap<string, MeasurementEntry>;
  /** `indicator|start|end` → measurement id: one measurement per indicator and period. */
  readonly byPeriod: ReadonlyMap<string, string>;
}

/** A fold's own outcomes state, changed in place by `evolve` (see outcomesDecider.evolve). */
interface OwnOutcomes {
  baselines: Map<string, { value: number; date: string; source: string }>;
  targets: Map<string, Map<string, number>>;
  measurements: Map<string, MeasurementEntry>;
  byPeriod: Map<string, string>;
}

function periodKey(indicatorCode: string, start: string, end: string): string {
  return `${indicatorCode}|${start}|${end}`;
}

function text(field: string, value: string | undefined, max: number, required = true): string {
  const v = (value ?? '').trim();
  if (required && v.length === 0) throw BadUserInputError.field(field, 'must not be blank');
  if (v.length > max) throw BadUserInputError.field(field, `must be at most ${max} characters`);
  return v;
}

function isoDate(field: string, value: string): string {
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw BadUserInputError.field(field, `must be an ISO 8601 date (YYYY-MM-DD), got "${value}"`);
  }
  return value;
}

function positiveInt(field: string, value: number | undefined | null): number | undefined {
  if (value == null) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_INT) {
    throw BadUserInputError.field(field, 'must be a whole number of at least 1');
  }
  return value;
}

export function checkEvidenceUrl(
  value: string | undefined | null,
  field = 'evidenceUrl',
): string | undefined {
  const v = (value ?? '').trim();
  if (!v) return undefined;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw BadUserInputError.field(field, 'must be an http(s) URL such as https://example.org/report.pdf');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw BadUserInputError.field(field, 'must be an http(s) URL such as https://example.org/report.pdf');
  }
  if (v.length > 2000) throw BadUserInputError.field(field, 'must be at most 2000 characters');
  return v;
}

/** The indicator must be in the catalogue and not retired; answers its unit. */
function indicatorUnit(facts: OutcomeFacts, code: string): Unit {
  const indicator = facts.indicators.get(code);
  if (!indicator)
    throw BadUserInputError.field('indicatorCode', `"${code}" is not an indicator in the catalogue`);
  if (indicator.retired) {
    throw new ConflictError(`Indicator ${code} has been retired: no new baselines, targets or measurements`, {
      field: 'indicatorCode',
    });
  }
  return indicator.unit;
}

export const outcomesDecider: Decider<AreaOutcomes, OutcomeCommand, OutcomeEvent> = {
  initialState: () => ({
    baselines: new Map(),
    targets: new Map(),
    measurements: new Map(),
    byPeriod: new Map(),
  }),
  // The state a fold evolves is its own (initialState makes a fresh one for each fold), so evolve changes it in
  // place: copying its maps for every event made a fold quadratic in the number of measurements.
  evolve(state, event) {
    const own = state as OwnOutcomes;
    switch (event.type) {
      case 'BaselineSet': {
        const { indicatorCode, value, date, source } = event.data;
        own.baselines.set(indicatorCode, { value, date, source });
        break;
      }
      case 'TargetSet': {
        const { indicatorCode, value, date } = event.data;
        let forIndicator = own.targets.get(indicatorCode);
        if (!forIndicator) {
          forIndicator = new Map();
          own.targets.set(indicatorCode, forIndicator);
        }
        forIndicator.set(date, value);
        break;
      }
      case 'MeasurementRecorded': {
        const { measurementId, indicatorCode, periodStart, periodEnd, value, sampleSize, denominator } =
          event.data;
        own.measurements.set(measurementId, {
          indicatorCode,
          periodStart,
          periodEnd,
          value,
          sampleSize,
          denominator,
        });
        own.byPeriod.set(periodKey(indicatorCode, periodStart, periodEnd), measurementId);
        break;
      }
      case 'MeasurementCorrected': {
        const { measurementId, value, sampleSize, denominator } = event.data;
        const m = own.measurements.get(measurementId)!;
        own.measurements.set(measurementId, { ...m, value, sampleSize, denominator });
        break;
      }
    }
    return state;
  },
  decide(command, state) {
    const { areaCode, facts } = command;
    checkPilot(facts.area, areaCode);
    switch (command.type) {
      case 'SetBaseline': {
        const unit = indicatorUnit(facts, command.indicatorCode);
        const value = checkValue(unit, command.value);
        const date = isoDate('date', command.date);
        const source = text('source', command.source, 500);
        const targets = state.targets.get(command.indicatorCode) ?? new Map<string, number>();
        const early = [...targets.keys()].sort().find((d) => d <= date);
        if (early) {
          throw BadUserInputError.field(
            'date',
            `must be before every target date, but there is a target for ${early}`,
          );
        }
        const current = state.baselines.get(command.indicatorCode);
        if (current && current.value === value && current.date === date && current.source === source)
          return [];
        return [
          {
            type: 'BaselineSet',
            data: { areaCode, indicatorCode: command.indicatorCode, value, date, source },
          },
        ];
      }
      case 'SetTarget': {
        const unit = indicatorUnit(facts, command.indicatorCode);
        const value = checkValue(unit, command.value);
        const date = isoDate('date', command.date);
        const baseline = state.baselines.get(command.indicatorCode);
        if (!baseline) {
          throw new ConflictError(
            `${command.indicatorCode} has no baseline in ${areaCode}: set the baseline before its targets`,
            { field: 'indicatorCode' },
          );
        }
        if (date <= baseline.date) {
          throw BadUserInputError.field('date', `must be after the baseline date (${baseline.date})`);
        }
        if (state.targets.get(command.indicatorCode)?.get(date) === value) return [];
        return [{ type: 'TargetSet', data: { areaCode, indicatorCode: command.indicatorCode, value, date } }];
      }
      case 'RecordMeasurement': {
        const unit = indicatorUnit(facts, command.indicatorCode);
        const value = checkValue(unit, command.value);
        const periodLabel = text('periodLabel', command.periodLabel, 100);
        const periodStart = isoDate('periodStart', command.periodStart);
        const periodEnd = isoDate('periodEnd', command.periodEnd);
        if (periodStart > periodEnd) {
          throw BadUserInputError.field('periodEnd', `must not be before the period start (${periodStart})`);
        }
        const sampleSize = positiveInt('sampleSize', command.sampleSize);
        const denominator = positiveInt('denominator', command.denominator);
        const source = text('source', command.source, 500);
        const evidenceUrl = checkEvidenceUrl(command.evidenceUrl);
        const note = text('note', command.note, 4000, false) || undefined;
        checkDateOpen(facts.returns, areaCode, periodEnd, 'period');
        const existing = state.byPeriod.get(periodKey(command.indicatorCode, periodStart, periodEnd));
        if (existing) {
          throw new ConflictError(
            `${areaCode} already has a ${command.indicatorCode} measurement for ${periodStart} to ${periodEnd} (${existing}): use correctMeasurement to change it`,
            { field: 'period', measurementId: existing, use: 'correctMeasurement' },
          );
        }
        if (state.measurements.has(command.measurementId)) {
          throw new ConflictError(`Measurement ${command.measurementId} already exists`, {
            field: 'measurementId',
          });
        }
        return [
          {
            type: 'MeasurementRecorded',
            data: {
              areaCode,
              measurementId: command.measurementId,
              indicatorCode: command.indicatorCode,
              periodLabel,
              periodStart,
              periodEnd,
              value,
              ...(sampleSize !== undefined ? { sampleSize } : {}),
              ...(denominator !== undefined ? { denominator } : {}),
              source,
              ...(evidenceUrl ? { evidenceUrl } : {}),
              ...(note ? { note } : {}),
            },
          },
        ];
      }
      case 'CorrectMeasurement': {
        const m = state.measurements.get(command.measurementId);
        if (!m) throw new NotFoundError(`${areaCode} has no measurement ${command.measurementId}`);
        const unit = indicatorUnit(facts, m.indicatorCode);
        const reason = text('reason', command.reason, 2000);
        const value = checkValue(unit, command.value);
        const sampleSize = positiveInt('sampleSize', command.sampleSize) ?? m.sampleSize;
        const denominator = positiveInt('denominator', command.denominator) ?? m.denominator;
        checkDateOpen(facts.returns, areaCode, m.periodEnd, 'period');
        if (value === m.value && sampleSize === m.sampleSize && denominator === m.denominator) return [];
        return [
          {
            type: 'MeasurementCorrected',
            data: {
              areaCode,
              measurementId: command.measurementId,
              indicatorCode: m.indicatorCode,
              value,
              ...(sampleSize !== undefined ? { sampleSize } : {}),
              ...(denominator !== undefined ? { denominator } : {}),
              reason,
              previousValue: m.value,
            },
          },
        ];
      }
    }
  },
};
