import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LearningPublisher, LearningSubscriptionResolver } from './graphql/learning-subscription.js';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LearningCommandHandler } from './commands/learning.commands.js';
import { LearningFeedController } from './feed/learning-feed.controller.js';
import { AreaLearningResolver } from './graphql/area-learning.resolver.js';
import { LearningAdoptionResolver } from './graphql/learning-adoption.resolver.js';
import { LearningReadModel } from './graphql/learning.read.js';
import { LearningResolver } from './graphql/learning.resolver.js';
import { CreateLearning1732500007000 } from './projections/learning.migration.js';
import { currentVersionsMigration } from '@iap/projections';
import {
  ITEMS_TABLE,
  LearningHistory1732500010700,
  LearningProjection,
} from './projections/learning.projection.js';

/**
 * A year's adoptions of an area's items (comparePilots, programmeSummary) are counted from each item's index
 * entries within the year's dates alone (adoptions never change, so the heap is seldom read), not from every
 * adoption of the item.
 */
export class LearningAdoptionsByDate1732500012700 implements MigrationInterface {
  name = 'LearningAdoptionsByDate1732500012700';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX learning_adoptions_item_on ON learning_adoptions (item_id, adopted_on)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX learning_adoptions_item_on');
  }
}

export const LEARNING_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateLearning1732500007000,
  LearningHistory1732500010700,
  currentVersionsMigration('LearningCurrentVersions1732500011700', [ITEMS_TABLE], async (q) => {
    // The search vector is written with the row (ITEMS_TABLE.computed), no longer generated: the values stay.
    await q.query('ALTER TABLE learning_items ALTER COLUMN search DROP EXPRESSION');
  }),
  LearningAdoptionsByDate1732500012700,
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
    LearningAdoptionResolver,
  ],
  controllers: [LearningFeedController],
})
export class LearningModule {}
