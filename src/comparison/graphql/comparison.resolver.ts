import { Inject } from '@nestjs/common';
import { Args, Info, Query, Resolver } from '@nestjs/graphql';
import { Policies, Policy } from '@iap/auth';
import { BadUserInputError, requireAreaCode } from '@iap/common';
import { DateTimeScalar } from '@iap/common/graphql';
import { EventStore, type RecordedEvent } from '@iap/event-store';
import type { GraphQLResolveInfo } from 'graphql';
import { HistoryEntryType, toHistoryEntries } from '../../activity/public-api.js';
import { actionCountsByAreaInYear } from '../../delivery/public-api.js';
import { fundingTotals, fundingStreamId, spendRate } from '../../funding/public-api.js';
import { learningCountsByAreaInYear } from '../../learning/public-api.js';
import {
  areaIndicatorsInYear,
  outcomesStream,
  returnStream,
  returnsForYear,
  returnsOf,
} from '../../outcomes/public-api.js';
import { type FinancialYear, isIsoDate, requireFinancialYear } from '../../shared/periods.js';
import { ReadDb } from '../../shared/read-db.js';
import { AsOfService } from '../as-of.service.js';
import { type AreaNameRow, indicatorSeries, pilotAreas, unknownCodes } from './comparison.read.js';
import {
  FigureEnum,
  IndicatorSeriesPointType,
  PilotComparisonType,
  ProgrammeSummaryType,
  type StatusCountType,
} from './comparison.types.js';

function tally(rows: { status: string; count: number }[]): StatusCountType[] {
  const byStatus = new Map<string, number>();
  for (const r of rows) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + r.count);
  return [...byStatus].map(([status, count]) => ({ status, count }));
}

@Resolver()
export class ComparisonResolver {
  constructor(
    @Inject(ReadDb) private readonly db: ReadDb,
    @Inject(AsOfService) private readonly asOf: AsOfService,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  private async checkCodes(table: 'themes' | 'indicator_catalogue', field: string, codes: readonly string[]) {
    const missing = await unknownCodes(this.db, table, codes);
    if (missing.length) throw BadUserInputError.field(field, `unknown: ${missing.join(', ')}`);
  }

  @Policy(Policies.signedIn)
  @Query(() => [PilotComparisonType], {
    description:
      'The pilots side by side for a financial year: funding, actions, chosen indicators, returns and learning. With asOf, as the record stood at that instant.',
  })
  async comparePilots(
    @Args('year') year: string,
    @Args('themes', { type: () => [String], nullable: true }) themes: string[] | null,
    @Args('indicators', { type: () => [String], nullable: true }) indicators: string[] | null,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf: Date | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PilotComparisonType[]> {
    const fy = requireFinancialYear('year', year);
    if (asOf) {
      await this.asOf.enter(asOf, info);
    }
    // The codes are checked while the pilots are read (one round trip less); an unknown code refuses the request.
    const [pilots] = await Promise.all([
      pilotAreas(this.db),
      this.checkCodes('themes', 'themes', themes ?? []),
      this.checkCodes('indicator_catalogue', 'indicators', indicators ?? []),
    ]);
    return this.compare(fy, themes ?? [], indicators ?? [], pilots);
  }

  private async compare(
    fy: FinancialYear,
    themes: string[],
    indicators: string[],
    pilots: AreaNameRow[],
  ): Promise<PilotComparisonType[]> {
    const codes = pilots.map((p) => p.code);
    // Every figure is the year's: funding of the year, actions active in it, measurements whose period ends in
    // it, returns of its quarters, learning published and adopted in it.
    const [funding, counts, areaIndicators, returns, learning] = await Promise.all([
      fundingTotals(this.db, fy.name, codes),
      actionCountsByAreaInYear(this.db, codes, fy.startYear),
      indicators.length ? areaIndicatorsInYear(this.db, codes, indicators, fy) : Promise.resolve([]),
      returnsOf(this.db, codes),
      learningCountsByAreaInYear(this.db, codes, fy),
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

  @Policy(Policies.signedIn)
  @Query(() => ProgrammeSummaryType, { description: 'Totals across all pilots for a financial year' })
  async programmeSummary(
    @Args('year') year: string,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf: Date | null,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProgrammeSummaryType> {
    const fy = requireFinancialYear('year', year);
    if (asOf) {
      await this.asOf.enter(asOf, info);
    }
    const rows = await this.compare(fy, [], [], await pilotAreas(this.db));
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

  @Policy(Policies.signedIn)
  @Query(() => [IndicatorSeriesPointType], {
    description:
      "An indicator's measurements across areas over time, for charts (period end from/to, ISO dates)",
  })
  async indicatorSeries(
    @Args('indicatorCode') indicatorCode: string,
    @Args('areaCodes', { type: () => [String], nullable: true }) areaCodes: string[] | null,
    @Args('from', { type: () => String, nullable: true }) from: string | null,
    @Args('to', { type: () => String, nullable: true }) to: string | null,
  ): Promise<IndicatorSeriesPointType[]> {
    await this.checkCodes('indicator_catalogue', 'indicatorCode', [indicatorCode]);
    for (const [field, v] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (v != null && !isIsoDate(v))
        throw BadUserInputError.field(field, 'must be an ISO 8601 date (YYYY-MM-DD)');
    }
    (areaCodes ?? []).forEach((c) => requireAreaCode(c, 'areaCodes'));
    return indicatorSeries(this.db, { indicatorCode, areaCodes, from, to });
  }

  @Policy(Policies.pilotReaders)
  @Query(() => [HistoryEntryType], {
    description:
      'The events behind one figure of an area (e.g. SPENT in 2019-20, or INDICATOR for one indicator): how it was arrived at',
  })
  async figureSources(
    @Args('areaCode') areaCode: string,
    @Args('figure', { type: () => FigureEnum }) figure: FigureEnum,
    @Args('year', { type: () => String, nullable: true }) year: string | null,
    @Args('indicatorCode', { type: () => String, nullable: true }) indicatorCode: string | null,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf: Date | null,
  ): Promise<HistoryEntryType[]> {
    requireAreaCode(areaCode, 'areaCode');
    const fy = year ? requireFinancialYear('year', year) : null;
    const needsYear = [
      FigureEnum.ALLOCATED,
      FigureEnum.COMMITTED,
      FigureEnum.SPENT,
      FigureEnum.MATCH_FUNDING,
      FigureEnum.OVERSPEND_APPROVED,
      FigureEnum.RETURNS,
    ];
    if (needsYear.includes(figure) && !fy) throw BadUserInputError.field('year', `is needed for ${figure}`);
    if (figure === FigureEnum.INDICATOR && !indicatorCode)
      throw BadUserInputError.field('indicatorCode', 'is needed for INDICATOR');
    const cut = asOf ?? new Date(8.64e15);
    const d = (e: RecordedEvent) => e.data as Record<string, unknown>;
    const inYear = (e: RecordedEvent) =>
      d(e).year === fy!.name || d(e).fromYear === fy!.name || d(e).toYear === fy!.name;
    const types: Record<string, string[]> = {
      [FigureEnum.ALLOCATED]: ['GrantAllocated', 'AllocationReprofiled', 'AllocationReduced'],
      [FigureEnum.COMMITTED]: ['FundsCommitted'],
      [FigureEnum.SPENT]: ['SpendReported', 'SpendCorrected'],
      [FigureEnum.MATCH_FUNDING]: ['MatchFundingRecorded'],
      [FigureEnum.OVERSPEND_APPROVED]: ['OverspendApproved'],
    };
    let events: RecordedEvent[];
    switch (figure) {
      case FigureEnum.ACTIONS:
      case FigureEnum.LEARNING: {
        const streams = (await this.asOf.streamsOf([areaCode])).filter((s) =>
          s.startsWith(figure === FigureEnum.ACTIONS ? 'action-' : 'learning-'),
        );
        events = await this.asOf.eventsUpTo(streams, cut);
        break;
      }
      case FigureEnum.INDICATOR: {
        const all = await this.asOf.eventsUpTo([outcomesStream(areaCode)], cut);
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
        const all = await this.asOf.eventsUpTo([returnStream(areaCode)], cut);
        events = all.filter((e) => String(d(e).quarter ?? '').startsWith(`${fy!.name} `));
        break;
      }
      default: {
        const all = await this.asOf.eventsUpTo([fundingStreamId(areaCode)], cut);
        events = all.filter((e) => types[figure].includes(e.type) && inYear(e));
      }
    }
    return toHistoryEntries(this.db, events);
  }
}
