import { Policies, Policy } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { Args, Context, Int, Query, Resolver, Subscription } from '@nestjs/graphql';
import { pageSize, requireAreaCode, toConnection } from '@iap/common';
import { ReadDb } from '../../shared/read-db.js';
import { ALL_AREAS } from '../projections/activity.projection.js';
import { cursorOf } from './activity.cursor.js';
import { ACTIVITY_COLUMNS, ACTIVITY_TOPIC, type ActivityRow } from './activity.read.js';
import { ActivityConnection, ActivityType } from './activity.types.js';

@Resolver(() => ActivityType)
export class ActivityResolver {
  constructor(@Inject(ReadDb) private readonly db: ReadDb) {}

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
    const limit = pageSize(first);
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (areaCode) {
      params.push(requireAreaCode(areaCode, 'areaCode'));
      where.push(`area_code = $${params.length}`);
    }
    if (after) {
      const [c, p, id] = cursorOf(after);
      params.push(c, p, id);
      where.push(
        `(commit_position, prepare_position, event_id) < ($${params.length - 2}::numeric, $${params.length - 1}::numeric, $${params.length}::uuid)`,
      );
    }
    const [rows, [count]] = await Promise.all([
      this.db.query<ActivityRow[]>(
        `SELECT ${ACTIVITY_COLUMNS}
           FROM activity ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY commit_position DESC, prepare_position DESC, event_id DESC LIMIT $1`,
        params,
      ),
      // Kept by the projection with the feed (one row read, however long the feed).
      this.db.query<{ entries: string }[]>(
        'SELECT entries::text AS entries FROM activity_counts WHERE area_code = $1',
        [areaCode ?? ALL_AREAS],
      ),
    ]);
    return toConnection(
      rows,
      limit,
      (r) => [r.c, r.p, r.eventId],
      ({ c: _c, p: _p, ...rest }) => rest,
      Number(count?.entries ?? 0),
    );
  }

  @Policy(Policies.pilotReaders)
  @Subscription(() => ActivityType, {
    description: 'Each new activity, once it is in the feed (published after the projection commits)',
    filter: (payload: { activityAdded: ActivityType }, variables: { areaCode?: string | null }) =>
      !variables.areaCode || payload.activityAdded.areaCode === variables.areaCode,
  })
  activityAdded(
    @Context('pubsub') pubsub: { subscribe(topic: string): unknown },
    @Args('areaCode', { type: () => String, nullable: true }) areaCode?: string,
  ): unknown {
    if (areaCode) requireAreaCode(areaCode, 'areaCode');
    return pubsub.subscribe(ACTIVITY_TOPIC);
  }
}
