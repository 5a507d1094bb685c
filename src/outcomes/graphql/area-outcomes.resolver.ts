import { Inject } from '@nestjs/common';
import { ReadDb } from '../../shared/read-db.js';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AreaType } from '../../areas/public-api.js';
import { type GraphQLContext, groupBy, loaderFor } from '../../shared/graphql-context.js';
import { requireFinancialYear } from '../../shared/periods.js';
import { AreaIndicatorType, PeriodicReturnType } from './outcomes.types.js';
import { areaIndicatorsOf, returnsForYear, returnsOf } from './outcomes.read.js';

/** The outcomes context's fields on Area. */
@Resolver(() => AreaType)
export class AreaOutcomesResolver {
  constructor(@Inject(ReadDb) private readonly db: ReadDb) {}

  @ResolveField(() => [AreaIndicatorType], {
    description:
      'Where the area stands on each indicator it reports: baseline, targets, latest, trend, progress',
  })
  indicators(@Parent() area: AreaType, @Context() ctx: GraphQLContext): Promise<AreaIndicatorType[]> {
    return loaderFor<string, AreaIndicatorType[]>(ctx, 'areaIndicatorsByArea', async (codes) =>
      groupBy(codes, await areaIndicatorsOf(this.db, codes), (r) => r.areaCode),
    ).load(area.code);
  }

  @ResolveField(() => [PeriodicReturnType], {
    description:
      "The area's quarterly returns: with a financial year (2019-20), each of its quarters (NOT_SUBMITTED where none); without, every quarter with a return",
  })
  async returns(
    @Parent() area: AreaType,
    @Context() ctx: GraphQLContext,
    @Args('year', { type: () => String, nullable: true }) year: string | null,
  ): Promise<PeriodicReturnType[]> {
    const fy = year == null ? null : requireFinancialYear('year', year);
    const all = await loaderFor<string, PeriodicReturnType[]>(ctx, 'returnsByArea', async (codes) =>
      groupBy(codes, await returnsOf(this.db, codes), (r) => r.areaCode),
    ).load(area.code);
    return returnsForYear(area.code, all, fy);
  }
}
