import { Policies, Policy } from '@iap/auth';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Args, Context, Resolver, Subscription } from '@nestjs/graphql';
import { ProjectionRunner } from '@iap/projections';
import { GraphQLPublisher } from '../../shared/graphql-publisher.js';
import { LEARNING_PROJECTION } from '../projections/learning.projection.js';
import { LearningReadModel } from './learning.read.js';
import { LearningItemType } from './learning.types.js';

export const LEARNING_PUBLISHED_TOPIC = 'LEARNING_PUBLISHED';

@Resolver(() => LearningItemType)
export class LearningSubscriptionResolver {
  @Policy(Policies.anyone)
  @Subscription(() => LearningItemType, {
    description:
      'Each learning item as it is published (after the library can show it), optionally for one theme',
    filter: (payload: { learningPublished: LearningItemType }, variables: { theme?: string | null }) =>
      !variables.theme || payload.learningPublished.themes.includes(variables.theme),
  })
  learningPublished(
    @Context('pubsub') pubsub: { subscribe(topic: string): unknown },
    @Args('theme', { type: () => String, nullable: true }) _theme?: string,
  ): unknown {
    return pubsub.subscribe(LEARNING_PUBLISHED_TOPIC);
  }
}

/** Publishes each newly published item once the learning projection has committed it. */
@Injectable()
export class LearningPublisher implements OnApplicationBootstrap {
  private readonly logger = new Logger('LearningPublisher');

  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(GraphQLPublisher) private readonly publisher: GraphQLPublisher,
    @Inject(LearningReadModel) private readonly items: LearningReadModel,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.onCommitted(
      (projection, events) => {
        if (projection !== LEARNING_PROJECTION) return;
        for (const e of events) {
          if (e.type !== 'LearningPublished') continue;
          const { itemId } = e.data as { itemId: string };
          this.items
            .item(itemId)
            .then((item) => {
              if (item) this.publisher.publish(LEARNING_PUBLISHED_TOPIC, { learningPublished: item });
            })
            .catch((err: unknown) =>
              this.logger.warn(`Could not publish learning ${itemId}: ${String(err)}`),
            );
        }
      },
      [LEARNING_PROJECTION],
    );
  }
}
