import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { BadUserInputError, pageSize } from '@iap/common';
import { DateTimeScalar } from '@iap/common/graphql';
import { Policies, Policy } from '@iap/auth';
import { ReadDb } from '../../shared/read-db.js';
import { actorActivityPage } from './activity.read.js';
import { ActivityConnection } from './activity.types.js';
import { activityConnection, cursorOf } from './activity.cursor.js';

/** The audit trail of one person: what a subject did, from the activity read model (central team only). */
@Resolver()
export class ActorActivityResolver {
  constructor(@Inject(ReadDb) private readonly db: ReadDb) {}

  @Policy(Policies.central)
  @Query(() => ActivityConnection, {
    description:
      'Everything one subject (a token\'s "sub") did from `from` (inclusive) to `to` (exclusive), newest first: central team only',
  })
  async actorActivity(
    @Args('subject') subject: string,
    @Args('from', { type: () => DateTimeScalar }) from: Date,
    @Args('to', { type: () => DateTimeScalar }) to: Date,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<ActivityConnection> {
    if (subject.length < 1 || subject.length > 200)
      throw BadUserInputError.field('subject', 'must be 1 to 200 characters');
    if (Number.isNaN(from.getTime())) throw BadUserInputError.field('from', 'must be an ISO 8601 date-time');
    if (Number.isNaN(to.getTime())) throw BadUserInputError.field('to', 'must be an ISO 8601 date-time');
    if (to <= from) throw BadUserInputError.field('to', 'must be after from');
    const limit = pageSize(first);
    const rows = await actorActivityPage(
      this.db,
      subject,
      from,
      to,
      after ? cursorOf(after) : null,
      limit + 1,
    );
    return activityConnection(rows, limit);
  }
}
