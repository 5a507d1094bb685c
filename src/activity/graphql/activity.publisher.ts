import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ProjectionRunner } from '@iap/projections';
import { GraphQLPublisher } from '../../shared/graphql-publisher.js';
import { ReadDb } from '../../shared/read-db.js';
import { ACTIVITY_TOPIC, activitiesOfEvents } from './activity.read.js';

/** Tells subscribers of each activity after the activity projection has committed it. */
@Injectable()
export class ActivityPublisher implements OnApplicationBootstrap {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(GraphQLPublisher) private readonly publisher: GraphQLPublisher,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  onApplicationBootstrap(): void {
    // Publishes the rows as the feed holds them.
    this.publisher.publishCommitted(this.runner, 'activity', ACTIVITY_TOPIC, async (events) =>
      (
        await activitiesOfEvents(
          this.db,
          events.map((e) => e.id),
        )
      ).map(({ c: _c, p: _p, ...activity }) => ({
        activityAdded: activity,
      })),
    );
  }
}
