import { LearningPublisher, LearningSubscriptionResolver } from './graphql/learning-subscription.js';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LearningCommandHandler } from './commands/learning.commands.js';
import { LearningFeedController } from './feed/learning-feed.controller.js';
import { AreaLearningResolver } from './graphql/area-learning.resolver.js';
import { LearningAdoptionResolver } from './graphql/learning-adoption.resolver.js';
import { LearningReadModel } from './graphql/learning.read.js';
import { LearningResolver } from './graphql/learning.resolver.js';
import { LearningProjection } from './projections/learning.projection.js';
@Module({
  imports: [CqrsModule],
  providers: [
    LearningCommandHandler,
    LearningProjection,
    LearningReadModel,
    LearningResolver,
    LearningSubscriptionResolver,
    LearningPublisher,
    AreaLearningResolver,
    LearningAdoptionResolver,
  ],
  controllers: [LearningFeedController],
})
export class LearningModule {}
