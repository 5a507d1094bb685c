import { Policies, Policy } from '@iap/auth';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import { ProjectionRunner } from '@iap/projections';
import { GraphQLPublisher, type SubscriptionSource } from '../../shared/graphql-publisher.js';
import { LEARNING_PROJECTION } from '../projections/learning.projection.js';
import { LearningReadModel } from './learning.read.js';
import { LearningItemType } from './learning.types.js';

export const LEARNING_PUBLISHED_TOPIC = 'LEARNING_PUBLISHED';

@Resolver(() => LearningItemType)
export class LearningSubscriptionResolver {
  constructor(@Inject(GraphQLPublisher) private readonly publisher: GraphQLPublisher) {}

  @Policy(Policies.anyone)
  @Subscription(() => LearningItemType, {
    description:
      'Each learning item as it is published (after the library can show it), optionally for one theme',
    filter: (payload: { learningPublished: LearningItemType }, variables: { theme?: string | null }) =>
      !variables.theme || payload.learningPublished.themes.includes(variables.theme),
  })
  learningPublished(
    @Context('pubsub') pubsub: SubscriptionSource,
    @Args('theme', { type: () => String, nullable: true }) _theme?: string,
  ): Promise<AsyncIterableIterator<unknown>> {
    return this.publisher.subscribe(pubsub, LEARNING_PUBLISHED_TOPIC);
  }
}

/** Publishes each newly published item once the learning projection has committed it. */
@Injectable()
export class LearningPublisher implements OnApplicationBootstrap {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(GraphQLPublisher) private readonly publisher: GraphQLPublisher,
    @Inject(LearningReadModel) private readonly items: LearningReadModel,
  ) {}

  onApplicationBootstrap(): void {
    this.publisher.publishCommitted(
      this.runner,
      LEARNING_PROJECTION,
      LEARNING_PUBLISHED_TOPIC,
      async (events) => {
        const published = events
          .filter((e) => e.type === 'LearningPublished')
          .map((e) => (e.data as { itemId: string }).itemId);
        const items = await Promise.all(published.map((id) => this.items.item(id)));
        return items.filter((item) => item !== null).map((item) => ({ learningPublished: item }));
      },
    );
  }
}
