import { Module } from '@nestjs/common';
import { ActivityProjection, ActivityPublisher, ActivityResolver } from './activity.js';
import { ActorActivityResolver } from './audit.js';
import { HistoryResolver } from './history.js';

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
