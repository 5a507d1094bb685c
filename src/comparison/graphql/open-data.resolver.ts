import { Inject } from '@nestjs/common';
import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Policies, Policy } from '@iap/auth';
import { DateTimeScalar, PenceScalar } from '@iap/common/graphql';
import { grantAllocations, yearsWithGrant } from '../../funding/public-api.js';
import { ReadDb } from '../../shared/read-db.js';
import { areaNames } from './comparison.read.js';
import { ComparisonResolver } from './comparison.resolver.js';
import { ProgrammeSummaryType } from './comparison.types.js';

@ObjectType('GrantAward', {
  description:
    'A grant allocation as the programme publishes it: one per area, financial year and funding stream',
})
export class GrantAwardType {
  @Field({ description: 'ONS code of the area (the recipient council)' }) areaCode: string;
  @Field() areaName: string;
  @Field({ description: 'Financial year, e.g. 2019-20' }) year: string;
  @Field() fundingStream: string;
  @Field(() => PenceScalar, { description: 'The allocation now, after reprofiling and clawback' })
  amountPence: number;
  @Field(() => DateTimeScalar, { description: 'When the allocation was first made' }) awardedAt: Date;
}

/** What the programme publishes as open data (Open Government Licence v3.0): readable by anyone. */
@Resolver()
export class OpenDataResolver {
  constructor(
    @Inject(ReadDb) private readonly db: ReadDb,
    @Inject(ComparisonResolver) private readonly comparison: ComparisonResolver,
  ) {}

  @Policy(Policies.anyone)
  @Query(() => [GrantAwardType], {
    description:
      "The programme's grants, published as open data: every allocation with money in it, by year, area and funding stream",
  })
  async grantAwards(): Promise<GrantAwardType[]> {
    const allocations = await grantAllocations(this.db);
    const areas = await areaNames(this.db, [...new Set(allocations.map((a) => a.areaCode))]);
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

  @Policy(Policies.anyone)
  @Query(() => [ProgrammeSummaryType], {
    description:
      'Totals across all pilots for every financial year with grant allocated, oldest first, published as open data',
  })
  async programmeTotals(): Promise<ProgrammeSummaryType[]> {
    const years = await yearsWithGrant(this.db);
    const totals: ProgrammeSummaryType[] = [];
    for (const year of years)
      totals.push(await this.comparison.programmeSummary(year, null, undefined as never));
    return totals;
  }
}
