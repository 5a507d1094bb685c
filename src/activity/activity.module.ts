import { Module } from '@nestjs/common';
import { ActivityPublisher } from './graphql/activity.publisher.js';
import { ActivityResolver } from './graphql/activity.resolver.js';
import { ActorActivityResolver } from './graphql/audit.resolver.js';
import { HistoryResolver } from './graphql/history.resolver.js';
import { ActivityProjection } from './projections/activity.projection.js';

@Module({
  providers: [
    ActivityProjection,
    ActivityResolver,
    HistoryResolver,
    ActorActivityResolver,
    ActivityPublisher,
  ],
})
export class ActivityModule {}
