import { Inject } from '@nestjs/common';
import { ReadDb } from '../../shared/read-db.js';
import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { pageSize, toConnection } from '@iap/common';
import { AreaType } from '../../areas/public-api.js';
import { type GraphQLContext, groupBy, loaderFor } from '../../shared/graphql-context.js';
import {
  actionCountsOfAreas,
  actionKey,
  areasActionsPages,
  checkFilter,
  keysetAfter,
} from './action.read.js';
import { ActionConnection, ActionCountType, AreaActionFilter } from './action.types.js';

/** An area's actions and their counts: each field costs one query for a whole list of areas. */
@Resolver(() => AreaType)
export class AreaActionsResolver {
  constructor(@Inject(ReadDb) private readonly db: ReadDb) {}

  @ResolveField(() => ActionConnection, {
    description: "The area's actions, by planned start then id, a page at a time",
  })
  actions(
    @Parent() area: AreaType,
    @Context() ctx: GraphQLContext,
    @Args('filter', { type: () => AreaActionFilter, nullable: true }) filter: AreaActionFilter | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<ActionConnection> {
    const { status, theme } = checkFilter(filter);
    const limit = pageSize(first);
    const cursor = keysetAfter(after);
    // One loader per distinct arguments: the areas of a list that share them share one query.
    const name = `areaActions:${JSON.stringify([status, theme, limit, cursor])}`;
    return loaderFor<string, ActionConnection>(ctx, name, async (codes) => {
      const rows = await areasActionsPages(this.db, codes, status, theme, cursor, limit + 1);
      return groupBy(codes, rows, (r) => r.areaCode).map((list, i) => ({
        ...toConnection(list, limit, actionKey, (action) => action),
        countKey: { areaCode: codes[i], status, theme },
      }));
    }).load(area.code);
  }

  @ResolveField(() => [ActionCountType], {
    description:
      "How many of the area's actions are in each status, per theme (an action with two themes counts under each)",
  })
  actionCounts(@Parent() area: AreaType, @Context() ctx: GraphQLContext): Promise<ActionCountType[]> {
    return loaderFor<string, (ActionCountType & { areaCode: string })[]>(
      ctx,
      'actionCountsByArea',
      async (codes) => groupBy(codes, await actionCountsOfAreas(this.db, codes), (r) => r.areaCode),
    ).load(area.code);
  }
}
