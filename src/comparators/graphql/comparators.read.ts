import { BadUserInputError, NotFoundError, requireAreaCode } from '@iap/common';
import { areaByCode } from '../../areas/public-api.js';
import type { RecordedEvent } from '@iap/event-store';
import type { Queryable } from '@iap/projections';
import { INDICATOR_CODE } from '../../outcomes/public-api.js';
import {
  BOOTSTRAP_RESAMPLES,
  PROGRAMME_START,
  caveats,
  differenceInDifferences,
} from '../domain/difference-in-differences.js';
import type { ComparatorsEvent } from '../domain/comparator-choice.js';
import { parsePublicPeriod } from '../domain/public-values.js';
import type {
  ComparatorChoiceType,
  ComparatorFiguresType,
  PilotVersusComparatorsType,
  PublicCouncilType,
  PublicDataFileType,
  PublicIndicatorType,
  SeriesPointType,
} from './comparators.types.js';

/**
 * A worked figure as it is given out: to 15 significant digits, which keeps every digit the public values carry
 * and drops the binary fractions' noise (a change of -0.356 rather than -0.35599999999999987).
 */
function figure(x: number): number {
  return Number(x.toPrecision(15));
}

function figureOrNull(x: number | null | undefined): number | null {
  return x === null || x === undefined ? null : figure(x);
}

export const METHOD_TEXT = `Difference in differences: the pilot's change from the baseline period to the latest, less the mean change of its comparator councils over the same two periods. The range is a 95% percentile bootstrap interval: the comparators are resampled with replacement ${BOOTSTRAP_RESAMPLES.toLocaleString('en-GB')} times (a seeded generator, so the same figures always give the same range). It shows how much the estimate depends on which comparators happen to be in the group; it leaves out the uncertainty in each council's own figures.`;

const ILLUSTRATIVE = /illustrative/i;

export async function comparatorChoice(
  db: Queryable,
  pilotCode: string,
): Promise<ComparatorChoiceType | null> {
  const [row] = await db.query<ComparatorChoiceType[]>(
    `SELECT pilot_code AS "pilotCode", method, characteristics, period, comparators, reason, revision,
            chosen_at AS "chosenAt", chosen_by AS "chosenBy"
       FROM comparator_choices WHERE pilot_code = $1`,
    [pilotCode],
  );
  return row ?? null;
}

export async function publicIndicators(db: Queryable): Promise<PublicIndicatorType[]> {
  const rows = await db.query<
    { code: string; name: string | null; councils: number; periods: string[]; illustrative: boolean }[]
  >(
    `SELECT i.code, i.name, count(DISTINCT v.area_code)::int AS councils,
            array_agg(DISTINCT v.period_end::text || '|' || v.period) AS periods,
            bool_or(v.source ~* 'illustrative') AS illustrative
       FROM public_indicators i JOIN public_values v ON v.indicator_code = i.code
      GROUP BY i.code, i.name ORDER BY coalesce(i.name, i.code)`,
  );
  return rows.map((r) => ({ ...r, periods: [...r.periods].sort().map((p) => p.split('|')[1]) }));
}

/** Councils with public indicator values, by name (a council without a name is listed by its code). */
export function publicCouncils(db: Queryable): Promise<PublicCouncilType[]> {
  return db.query<PublicCouncilType[]>(
    'SELECT code, coalesce(name, code) AS name FROM public_councils ORDER BY coalesce(name, code)',
  );
}

/** The last 100 files of public values imported, latest first. */
export function publicDataFiles(db: Queryable): Promise<PublicDataFileType[]> {
  return db.query<PublicDataFileType[]>(
    `SELECT digest, file_name AS "fileName", row_count AS "rowCount", imported_at AS "importedAt",
            imported_by AS "importedBy"
       FROM public_data_imports ORDER BY imported_at DESC LIMIT 100`,
  );
}

/** The choice as its events wrote it (answered while the read model catches up). */
export function choiceWritten(stream: readonly RecordedEvent[], pilotCode: string): ComparatorChoiceType {
  const last = stream[stream.length - 1] as (RecordedEvent & ComparatorsEvent) | undefined;
  if (!last) throw new NotFoundError(`No comparators chosen for ${pilotCode}`);
  return {
    ...last.data,
    characteristics: [...last.data.characteristics],
    comparators: [...last.data.comparators],
    revision: Number(last.revision),
    chosenAt: last.recordedAt,
    chosenBy: last.metadata.actor?.name ?? last.metadata.actor?.subject ?? null,
  };
}

interface ValueRow {
  area_code: string;
  period: string;
  period_start: string;
  period_end: string;
  value: number;
  source: string;
}

/** The pilot against its comparators for one indicator (see PilotVersusComparatorsType). */
export async function pilotVersusComparators(
  db: Queryable,
  areaCode: string,
  indicatorCode: string,
  baselinePeriod: string | null,
  latestPeriod: string | null,
): Promise<PilotVersusComparatorsType> {
  requireAreaCode(areaCode, 'areaCode');
  if (!INDICATOR_CODE.test(indicatorCode))
    throw BadUserInputError.field('indicatorCode', 'must be an indicator code such as HATE_CRIMES_PER_1000');
  const pilot = await areaByCode(db, areaCode);
  if (pilot?.kind !== 'PILOT') throw BadUserInputError.field('areaCode', `${areaCode} is not a pilot area`);
  const [indicator] = await db.query<{ name: string | null }[]>(
    'SELECT name FROM public_indicators WHERE code = $1',
    [indicatorCode],
  );
  if (!indicator)
    throw BadUserInputError.field(
      'indicatorCode',
      `${indicatorCode} has no public values: import them first`,
    );
  const choice = await comparatorChoice(db, areaCode);
  const codes = [areaCode, ...(choice?.comparators.map((c) => c.areaCode) ?? [])];
  const values = await db.query<ValueRow[]>(
    `SELECT area_code, period, period_start::text, period_end::text, value, source FROM public_values
      WHERE indicator_code = $1 AND area_code = ANY($2) ORDER BY period_end, period_start`,
    [indicatorCode, codes],
  );
  const key = (v: Pick<ValueRow, 'period_start' | 'period_end'>) => `${v.period_start}|${v.period_end}`;
  const byArea = new Map<string, Map<string, ValueRow>>();
  for (const v of values) {
    if (!byArea.has(v.area_code)) byArea.set(v.area_code, new Map());
    byArea.get(v.area_code)!.set(key(v), v);
  }
  const mine = [...(byArea.get(areaCode)?.values() ?? [])];
  if (mine.length === 0)
    throw BadUserInputError.field('indicatorCode', `${pilot.name} has no public ${indicatorCode} values`);
  const pick = (field: string, text: string | null, fallback: ValueRow | undefined): ValueRow | undefined => {
    if (text == null || text === '') return fallback;
    const p = parsePublicPeriod(text);
    if (!p)
      throw BadUserInputError.field(field, `"${text}" is not a financial year, quarter or calendar year`);
    const found = mine.find((v) => v.period_start === p.start && v.period_end === p.end);
    if (!found)
      throw BadUserInputError.field(field, `${pilot.name} has no ${indicatorCode} value for ${p.name}`);
    return found;
  };
  const before = mine.filter((v) => v.period_end < PROGRAMME_START);
  const baseline = pick('baselinePeriod', baselinePeriod, before[before.length - 1] ?? mine[0]);
  const latest = pick('latestPeriod', latestPeriod, mine[mine.length - 1]);
  if (baseline && latest && latest.period_end <= baseline.period_end && latest !== baseline)
    throw BadUserInputError.field('latestPeriod', `must end after the baseline period (${baseline.period})`);

  const comparators: ComparatorFiguresType[] = (choice?.comparators ?? []).map((c) => {
    const own = byArea.get(c.areaCode);
    const b = baseline ? own?.get(key(baseline))?.value : undefined;
    const l = latest ? own?.get(key(latest))?.value : undefined;
    const included = b !== undefined && l !== undefined && baseline !== latest;
    return {
      ...c,
      baseline: b ?? null,
      latest: l ?? null,
      change: b !== undefined && l !== undefined ? l - b : null,
      included,
    };
  });
  const used = comparators.filter((c) => c.included);
  const same = !baseline || !latest || baseline === latest;
  const did =
    !same && choice
      ? differenceInDifferences(
          { baseline: baseline.value, latest: latest.value },
          used.map((c) => ({ baseline: c.baseline!, latest: c.latest! })),
        )
      : null;
  const series: SeriesPointType[] = mine.map((v) => {
    const theirs = (choice?.comparators ?? [])
      .map((c) => byArea.get(c.areaCode)?.get(key(v))?.value)
      .filter((x): x is number => x !== undefined);
    return {
      period: v.period,
      periodEnd: v.period_end,
      pilot: v.value,
      comparatorMean: theirs.length ? figure(theirs.reduce((s, x) => s + x, 0) / theirs.length) : null,
      comparators: theirs.length,
    };
  });
  const usedRows = [baseline, latest].flatMap((p) =>
    p ? [areaCode, ...used.map((c) => c.areaCode)].map((a) => byArea.get(a)?.get(key(p))) : [],
  );
  const sources = [...new Set(usedRows.filter((v) => v !== undefined).map((v) => v.source))].sort();
  return {
    areaCode,
    areaName: pilot.name,
    indicatorCode,
    indicatorName: indicator.name,
    choice,
    baselinePeriod: baseline?.period ?? null,
    latestPeriod: latest?.period ?? null,
    pilotBaseline: baseline?.value ?? null,
    pilotLatest: latest?.value ?? null,
    pilotChange: baseline && latest && !same ? figure(latest.value - baseline.value) : null,
    comparatorMeanChange: figureOrNull(did?.comparatorMeanChange),
    estimate: figureOrNull(did?.estimate),
    interval: did?.interval
      ? { ...did.interval, lower: figure(did.interval.lower), upper: figure(did.interval.upper) }
      : null,
    comparatorsUsed: used.length,
    comparators,
    series,
    caveats: caveats({
      chosen: choice !== null,
      comparators: used.length,
      leftOut: comparators.length - used.length,
      periodsToBaseline: baseline ? mine.filter((v) => v.period_end <= baseline.period_end).length : 0,
      sameBaselineAndLatest: same,
      pilotName: pilot.name,
    }),
    sources,
    illustrative: sources.some((s) => ILLUSTRATIVE.test(s)),
    method: METHOD_TEXT,
  };
}
