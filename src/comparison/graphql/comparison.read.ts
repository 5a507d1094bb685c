import { BadUserInputError, byText } from '@iap/common';
import type { RecordedEvent } from '@iap/event-store';
import type { Queryable } from '@iap/projections';
import { type HistoryEntryType, toHistoryEntries } from '../../activity/public-api.js';
import { type AreaNameRow, areaNames, pilotAreas } from '../../areas/public-api.js';
import { actionCountsByAreaInYear } from '../../delivery/public-api.js';
import {
  fundingStreamId,
  fundingTotals,
  grantAllocations,
  spendRate,
  yearsWithGrant,
} from '../../funding/public-api.js';
import { learningCountsByAreaInYear } from '../../learning/public-api.js';
import {
  type IndicatorSeriesQuery,
  areaIndicatorsInYear,
  indicatorMeasurements,
  knownIndicatorCodes,
  outcomesStream,
  returnStream,
  returnsForYear,
  returnsOf,
} from '../../outcomes/public-api.js';
import { type FinancialYear, requireFinancialYear } from '../../shared/periods.js';
import { knownThemeCodes } from '../../themes/public-api.js';
import type { AsOfService } from '../as-of.service.js';
import {
  FigureEnum,
  type GrantAwardType,
  type IndicatorSeriesPointType,
  type PilotComparisonType,
  type ProgrammeSummaryType,
  type StatusCountType,
} from './comparison.types.js';

/**
 * Reading for the comparison context: the pilots compared, programme totals, indicator series and the events
 * behind a figure, composed from the other contexts' read functions (their `public-api.ts`): this context has
 * no tables of its own. `db` is the live pool or an as-of snapshot.
 */

/** Refuses the request, naming `field`, when any of `codes` is not among `known`. */
async function requireKnown(
  field: string,
  codes: readonly string[],
  known: Promise<string[]>,
): Promise<void> {
  const found = new Set(await known);
  const missing = codes.filter((c) => !found.has(c));
  if (missing.length) throw BadUserInputError.field(field, `unknown: ${missing.join(', ')}`);
}

/** Which pilots' figures a comparison shows: a year's, actions of these themes and these indicators (all: []). */
export interface ComparisonQuery {
  year: FinancialYear;
  themes: readonly string[];
  indicators: readonly string[];
}

/**
 * The pilots side by side for a year. The theme and indicator codes are checked while the pilots are read (one
 * round trip less); an unknown code refuses the request.
 */
export async function comparePilots(db: Queryable, q: ComparisonQuery): Promise<PilotComparisonType[]> {
  const [pilots] = await Promise.all([
    pilotAreas(db),
    requireKnown('themes', q.themes, knownThemeCodes(db, q.themes)),
    requireKnown('indicators', q.indicators, knownIndicatorCodes(db, q.indicators)),
  ]);
  return compare(db, q, pilots);
}

/**
 * Every figure is the year's: funding of the year, actions active in it, measurements whose period ends in it,
 * returns of its quarters, learning published and adopted in it.
 */
async function compare(
  db: Queryable,
  { year: fy, themes, indicators }: ComparisonQuery,
  pilots: AreaNameRow[],
): Promise<PilotComparisonType[]> {
  const codes = pilots.map((p) => p.code);
  const [funding, counts, areaIndicators, returns, learning] = await Promise.all([
    fundingTotals(db, fy.name, codes),
    actionCountsByAreaInYear(db, codes, fy.startYear),
    indicators.length ? areaIndicatorsInYear(db, codes, [...indicators], fy) : Promise.resolve([]),
    returnsOf(db, codes),
    learningCountsByAreaInYear(db, codes, fy),
  ]);
  return pilots.map((p) => {
    const f = funding.find((x) => x.areaCode === p.code);
    const allocated = f?.allocatedPence ?? 0;
    const spent = f?.spentPence ?? 0;
    const mine = counts.filter((c) => c.areaCode === p.code);
    const l = learning.find((x) => x.areaCode === p.code);
    return {
      areaCode: p.code,
      areaName: p.name,
      year: fy.name,
      allocatedPence: allocated,
      committedPence: f?.committedPence ?? 0,
      spentPence: spent,
      overspendApprovedPence: f?.overspendApprovedPence ?? 0,
      spendRate: spendRate(spent, allocated),
      matchCashPence: f?.matchCashPence ?? 0,
      matchInKindPence: f?.matchInKindPence ?? 0,
      actionsByStatus: mine.filter((c) => c.theme === null).map(({ status, count }) => ({ status, count })),
      actionsByTheme: mine
        .filter((c) => c.theme !== null && (themes.length === 0 || themes.includes(c.theme)))
        .map(({ theme, status, count }) => ({ theme: theme!, status, count })),
      indicators: indicators
        .map((code) => areaIndicators.find((i) => i.areaCode === p.code && i.indicatorCode === code))
        .filter((i) => i !== undefined),
      returns: returnsForYear(
        p.code,
        returns.filter((r) => r.areaCode === p.code),
        fy,
      ),
      learningPublished: l?.published ?? 0,
      learningAdoptions: l?.adoptions ?? 0,
    };
  });
}

/** Counts by status, summed over the rows of each status (in order of first appearance). */
function tally(rows: { status: string; count: number }[]): StatusCountType[] {
  const byStatus = new Map<string, number>();
  for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + r.count);
  return [...byStatus].map(([status, count]) => ({ status, count }));
}

/** Totals across all pilots for a financial year: the comparison's figures, summed. */
export async function programmeSummary(db: Queryable, fy: FinancialYear): Promise<ProgrammeSummaryType> {
  const rows = await compare(db, { year: fy, themes: [], indicators: [] }, await pilotAreas(db));
  const sum = (f: (r: PilotComparisonType) => number) => rows.reduce((n, r) => n + f(r), 0);
  const allocated = sum((r) => r.allocatedPence);
  const spent = sum((r) => r.spentPence);
  return {
    year: fy.name,
    pilots: rows.length,
    allocatedPence: allocated,
    committedPence: sum((r) => r.committedPence),
    spentPence: spent,
    spendRate: spendRate(spent, allocated),
    matchCashPence: sum((r) => r.matchCashPence),
    matchInKindPence: sum((r) => r.matchInKindPence),
    actionsByStatus: tally(rows.flatMap((r) => r.actionsByStatus)),
    returnsByStatus: tally(rows.flatMap((r) => r.returns.map((q) => ({ status: q.status, count: 1 })))),
    learningPublished: sum((r) => r.learningPublished),
    learningAdoptions: sum((r) => r.learningAdoptions),
  };
}

/** Totals across all pilots for every financial year with grant allocated, oldest first. */
export async function programmeTotals(db: Queryable): Promise<ProgrammeSummaryType[]> {
  const totals: ProgrammeSummaryType[] = [];
  for (const year of await yearsWithGrant(db))
    totals.push(await programmeSummary(db, requireFinancialYear('year', year)));
  return totals;
}

/** Every allocation with money in it, by year, area and funding stream, with its area's name, as published. */
export async function grantAwards(db: Queryable): Promise<GrantAwardType[]> {
  const allocations = await grantAllocations(db);
  const areas = await areaNames(db, [...new Set(allocations.map((a) => a.areaCode))]);
  const names = new Map(areas.map((a) => [a.code, a.name]));
  return allocations.map((a) => ({
    areaCode: a.areaCode,
    areaName: names.get(a.areaCode) ?? a.areaCode,
    year: a.year,
    fundingStream: a.fundingStream,
    amountPence: a.allocatedPence,
    awardedAt: a.awardedAt,
  }));
}

/**
 * An indicator's measurements across areas (those registered), with their area's name: by period end, then
 * period start, then area name. An indicator not in the catalogue refuses the request (field `indicatorCode`).
 */
export async function indicatorSeries(
  db: Queryable,
  q: IndicatorSeriesQuery,
): Promise<IndicatorSeriesPointType[]> {
  await requireKnown('indicatorCode', [q.indicatorCode], knownIndicatorCodes(db, [q.indicatorCode]));
  const rows = await indicatorMeasurements(db, q);
  const names = new Map(
    (await areaNames(db, [...new Set(rows.map((r) => r.areaCode))])).map((a) => [a.code, a.name]),
  );
  return rows
    .filter((r) => names.has(r.areaCode))
    .map((r) => ({ ...r, areaName: names.get(r.areaCode)! }))
    .sort(
      (a, b) =>
        byText(a.periodEnd, b.periodEnd) ||
        byText(a.periodStart, b.periodStart) ||
        byText(a.areaName, b.areaName),
    );
}

/** Which figure's sources to list: of an area, for a year (funding and returns) or an indicator (INDICATOR). */
export interface FigureQuery {
  areaCode: string;
  figure: FigureEnum;
  year: FinancialYear | null;
  indicatorCode: string | null;
  asOf: Date | null;
}

/** The figures that belong to a financial year (the query must name one). */
export const FIGURES_OF_A_YEAR: readonly FigureEnum[] = [
  FigureEnum.ALLOCATED,
  FigureEnum.COMMITTED,
  FigureEnum.SPENT,
  FigureEnum.MATCH_FUNDING,
  FigureEnum.OVERSPEND_APPROVED,
  FigureEnum.RETURNS,
];

/** The funding events behind each funding figure. */
const FUNDING_EVENT_TYPES: Partial<Record<FigureEnum, readonly string[]>> = {
  [FigureEnum.ALLOCATED]: ['GrantAllocated', 'AllocationReprofiled', 'AllocationReduced'],
  [FigureEnum.COMMITTED]: ['FundsCommitted'],
  [FigureEnum.SPENT]: ['SpendReported', 'SpendCorrected'],
  [FigureEnum.MATCH_FUNDING]: ['MatchFundingRecorded'],
  [FigureEnum.OVERSPEND_APPROVED]: ['OverspendApproved'],
};

/** The events of one figure, read from the log up to an instant (see AsOfService). */
export type FigureLog = Pick<AsOfService, 'streamsOf' | 'eventsUpTo'>;

/** The events behind one figure of an area, recorded up to `asOf` (all, without), as history entries. */
export async function figureSources(
  db: Queryable,
  log: FigureLog,
  q: FigureQuery,
): Promise<HistoryEntryType[]> {
  const { areaCode, figure, indicatorCode } = q;
  const cut = q.asOf ?? new Date(8.64e15);
  const d = (e: RecordedEvent) => e.data as Record<string, unknown>;
  let events: RecordedEvent[];
  switch (figure) {
    case FigureEnum.ACTIONS:
    case FigureEnum.LEARNING: {
      const streams = (await log.streamsOf([areaCode])).filter((s) =>
        s.startsWith(figure === FigureEnum.ACTIONS ? 'action-' : 'learning-'),
      );
      events = await log.eventsUpTo(streams, cut);
      break;
    }
    case FigureEnum.INDICATOR: {
      const all = await log.eventsUpTo([outcomesStream(areaCode)], cut);
      // X's own events, and any event about one of X's measurements (by its id): never another indicator's
      // baseline or target, which name no measurement.
      const ids = new Set(
        all
          .filter((e) => d(e).indicatorCode === indicatorCode)
          .map((e) => d(e).measurementId)
          .filter((id): id is string => typeof id === 'string'),
      );
      events = all.filter(
        (e) =>
          d(e).indicatorCode === indicatorCode ||
          (typeof d(e).measurementId === 'string' && ids.has(d(e).measurementId as string)),
      );
      break;
    }
    case FigureEnum.RETURNS: {
      const all = await log.eventsUpTo([returnStream(areaCode)], cut);
      events = all.filter((e) => String(d(e).quarter ?? '').startsWith(`${q.year!.name} `));
      break;
    }
    default: {
      const year = q.year!.name;
      const types = FUNDING_EVENT_TYPES[figure] ?? [];
      const all = await log.eventsUpTo([fundingStreamId(areaCode)], cut);
      events = all.filter(
        (e) =>
          types.includes(e.type) && (d(e).year === year || d(e).fromYear === year || d(e).toYear === year),
      );
    }
  }
  return toHistoryEntries(db, events);
}
