import { Module } from '@nestjs/common';
import {
  ActivityProjection,
  ActivityPublisher,
  ActivityResolver,
} from './projections/activity.projection.js';
import { ActorActivityResolver } from './graphql/audit.resolver.js';
import { HistoryResolver } from './graphql/history.resolver.js';

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
