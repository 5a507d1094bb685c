import { Inject } from '@nestjs/common';
import { Args, Info, Query, Resolver } from '@nestjs/graphql';
import { Policies, Policy } from '@iap/auth';
import { BadUserInputError, requireAreaCode } from '@iap/common';
import { DateTimeScalar } from '@iap/common/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { HistoryEntryType } from '../../activity/public-api.js';
import { isIsoDate, requireFinancialYear } from '../../shared/periods.js';
import { ReadDb } from '../../shared/read-db.js';
import { AsOfService } from '../as-of.service.js';
import {
  FIGURES_OF_A_YEAR,
  comparePilots,
  figureSources,
  indicatorSeries,
  programmeSummary,
} from './comparison.read.js';
import {
  FigureEnum,
  IndicatorSeriesPointType,
  PilotComparisonType,
  ProgrammeSummaryType,
} from './comparison.types.js';

@Resolver()
export class ComparisonResolver {
  constructor(
    @Inject(ReadDb) private readonly db: ReadDb,
    @Inject(AsOfService) private readonly asOf: AsOfService,
  ) {}

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
    return comparePilots(this.db, { year: fy, themes: themes ?? [], indicators: indicators ?? [] });
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
    return programmeSummary(this.db, fy);
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
    if (FIGURES_OF_A_YEAR.includes(figure) && !fy)
      throw BadUserInputError.field('year', `is needed for ${figure}`);
    if (figure === FigureEnum.INDICATOR && !indicatorCode)
      throw BadUserInputError.field('indicatorCode', 'is needed for INDICATOR');
    return figureSources(this.db, this.asOf, { areaCode, figure, year: fy, indicatorCode, asOf });
  }
}
