import { Policies, Policy } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { Args, Context, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import { requireAreaCode } from '@iap/common';
import { GraphQLPublisher, type SubscriptionSource } from '../../shared/graphql-publisher.js';
import { ReadDb, pageSizeOfRequest } from '../../shared/read-db.js';
import { activityConnection, cursorOf } from './activity.cursor.js';
import { ACTIVITY_TOPIC, activityPage } from './activity.read.js';
import { ActivityConnection, ActivityType } from './activity.types.js';

@Resolver(() => ActivityType)
export class ActivityResolver {
  constructor(
    @Inject(ReadDb) private readonly db: ReadDb,
    @Inject(GraphQLPublisher) private readonly publisher: GraphQLPublisher,
  ) {}

  @Policy(Policies.pilotReaders)
  @Query(() => ActivityConnection, {
    description:
      "The programme-wide activity feed, newest first (with areaCode: one area's). Its totalCount is how many entries the feed (or the area's) has in all",
  })
  async activity(
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('areaCode', { type: () => String, nullable: true }) areaCode?: string,
  ): Promise<ActivityConnection> {
    const limit = pageSizeOfRequest(first);
    const { rows, total } = await activityPage(
      this.db,
      areaCode ? requireAreaCode(areaCode, 'areaCode') : null,
      after ? cursorOf(after) : null,
      limit + 1,
    );
    return activityConnection(rows, limit, total);
  }

  @Policy(Policies.pilotReaders)
  @Subscription(() => ActivityType, {
    description: 'Each new activity, once it is in the feed (published after the projection commits)',
    filter: (payload: { activityAdded: ActivityType }, variables: { areaCode?: string | null }) =>
      !variables.areaCode || payload.activityAdded.areaCode === variables.areaCode,
  })
  activityAdded(
    @Context('pubsub') pubsub: SubscriptionSource,
    @Args('areaCode', { type: () => String, nullable: true }) areaCode?: string,
  ): Promise<AsyncIterableIterator<unknown>> {
    if (areaCode) requireAreaCode(areaCode, 'areaCode');
    return this.publisher.subscribe(pubsub, ACTIVITY_TOPIC);
  }
}
