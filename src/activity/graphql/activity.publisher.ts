import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ProjectionRunner } from '@iap/projections';
import { GraphQLPublisher } from '../../shared/graphql-publisher.js';
import { ReadDb } from '../../shared/read-db.js';
import { ACTIVITY_TOPIC, activitiesOfEvents } from './activity.read.js';

/** Tells subscribers of each activity after the activity projection has committed it. */
@Injectable()
export class ActivityPublisher implements OnApplicationBootstrap {
  private readonly logger = new Logger('ActivityPublisher');

  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(GraphQLPublisher) private readonly publisher: GraphQLPublisher,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  onApplicationBootstrap(): void {
    this.runner.onCommitted(
      (projection, events) => {
        if (projection !== 'activity') return;
        // Publishes the rows as the feed holds them.
        activitiesOfEvents(
          this.db,
          events.map((e) => e.id),
        )
          .then((rows) => {
            for (const { c: _c, p: _p, ...activity } of rows)
              this.publisher.publish(ACTIVITY_TOPIC, { activityAdded: activity });
          })
          .catch((err: unknown) => this.logger.warn(`Could not publish activity: ${String(err)}`));
      },
      ['activity'],
    );
  }
}
