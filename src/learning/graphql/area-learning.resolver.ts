import { Inject } from '@nestjs/common';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AreaType } from '../../areas/public-api.js';
import { type GraphQLContext, groupBy, loaderFor } from '../../shared/graphql-context.js';
import type { LearningStatus } from '../domain/learning.js';
import { LearningReadModel } from './learning.read.js';
import { LearningItemType, LearningStatusEnum } from './learning.types.js';

/** An area's own learning items: one query for a whole list of areas. */
@Resolver(() => AreaType)
export class AreaLearningResolver {
  constructor(@Inject(LearningReadModel) private readonly read: LearningReadModel) {}

  @ResolveField(() => [LearningItemType], {
    description: "The area's learning items (all statuses unless one is given): published ones newest first",
  })
  learning(
    @Parent() area: AreaType,
    @Context() ctx: GraphQLContext,
    @Args('status', { type: () => LearningStatusEnum, nullable: true }) status: LearningStatus | null,
  ): Promise<LearningItemType[]> {
    const key = status ?? null;
    return loaderFor<string, LearningItemType[]>(ctx, `areaLearning:${key ?? '*'}`, async (codes) =>
      groupBy(codes, await this.read.itemsOfAreas(codes, key), (i) => i.areaCode),
    ).load(area.code);
  }
}
