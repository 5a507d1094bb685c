import type { MigrationInterface } from 'typeorm';
import { LearningPublisher, LearningSubscriptionResolver } from './graphql/learning-subscription.js';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LearningCommandHandler } from './commands/learning.commands.js';
import { LearningFeedController } from './feed/learning-feed.controller.js';
import { AreaLearningResolver } from './graphql/area-learning.resolver.js';
import { LearningReadModel } from './graphql/learning.read.js';
import { LearningResolver } from './graphql/learning.resolver.js';
import { CreateLearning1732500007000 } from './projections/learning.migration.js';
import { currentVersionsMigration } from '@iap/projections';
import {
  ITEMS_TABLE,
  LearningHistory1732500010700,
  LearningProjection,
} from './projections/learning.projection.js';

export const LEARNING_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateLearning1732500007000,
  LearningHistory1732500010700,
  currentVersionsMigration('LearningCurrentVersions1732500011700', [ITEMS_TABLE], async (q) => {
    // The search vector is written with the row (ITEMS_TABLE.computed), no longer generated: the values stay.
    await q.query('ALTER TABLE learning_items ALTER COLUMN search DROP EXPRESSION');
  }),
];

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
  ],
  controllers: [LearningFeedController],
})
export class LearningModule {}
