import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { BadUserInputError, pageSize, toConnection } from '@iap/common';
import { DateTimeScalar } from '@iap/common/graphql';
import { Policies, Policy } from '@iap/auth';
import { ReadDb } from '../../shared/read-db.js';
import { ACTIVITY_COLUMNS, type ActivityRow } from './activity.read.js';
import { ActivityConnection } from './activity.types.js';
import { cursorOf } from './activity.cursor.js';

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
    const params: unknown[] = [subject, from, to, limit + 1];
    let keyset = '';
    if (after) {
      params.push(...cursorOf(after));
      keyset = 'AND (commit_position, prepare_position, event_id) < ($5::numeric, $6::numeric, $7::uuid)';
    }
    const rows: ActivityRow[] = await this.db.query(
      `SELECT ${ACTIVITY_COLUMNS}
         FROM activity
        WHERE actor_subject = $1 AND recorded_at >= $2 AND recorded_at < $3 ${keyset}
        ORDER BY commit_position DESC, prepare_position DESC, event_id DESC LIMIT $4`,
      params,
    );
    return toConnection(
      rows,
      limit,
      (r) => [r.c, r.p, r.eventId],
      ({ c: _c, p: _p, ...rest }) => rest,
    );
  }
}
