import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type GraphQLContext, loaderFor } from '../../shared/graphql-context.js';
import { LearningReadModel } from './learning.read.js';
import { mayReadItem } from '../domain/learning.js';
import { LearningAdoptionType, LearningItemType } from './learning.types.js';

/** The item an adoption is of: one query for a whole list of adoptions. */
@Resolver(() => LearningAdoptionType)
export class LearningAdoptionResolver {
  constructor(@Inject(LearningReadModel) private readonly read: LearningReadModel) {}

  @ResolveField(() => LearningItemType, {
    nullable: true,
    description:
      'The item adopted: null to a council or visitor once it is no longer published (as `learningItem` answers)',
  })
  async item(
    @Parent() adoption: LearningAdoptionType,
    @Context() ctx: GraphQLContext,
  ): Promise<LearningItemType | null> {
    const item = await loaderFor<string, LearningItemType | null>(ctx, 'learningItemsById', async (ids) => {
      const byId = new Map((await this.read.items(ids)).map((i) => [i.id, i]));
      return ids.map((id) => byId.get(id) ?? null);
    }).load(adoption.itemId);
    return item && mayReadItem(ctx.actor?.role, item) ? item : null;
  }
}
