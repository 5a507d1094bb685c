import { markReadsLog } from '../../shared/read-db.js';
import { Policies, Policy } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { Args, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { BadUserInputError, NotFoundError } from '@iap/common';
import { JsonScalar, DateTimeScalar } from '@iap/common/graphql';
import { EventStore, type RecordedEvent, StreamNotFoundError } from '@iap/event-store';
import { type Names, loadNames, summarise } from '../projections/activity.summary.js';
import { ReadDb } from '../../shared/read-db.js';

const STREAM_NAME = /^[a-z][a-z-]*-[A-Za-z0-9_-]{1,100}$/;

@ObjectType('HistoryEntry', {
  description: 'One event of an aggregate: who did what, when, and what changed',
})
export class HistoryEntryType {
  @Field(() => ID) eventId: string;
  @Field() type: string;
  @Field() streamId: string;
  @Field(() => Int) revision: number;
  @Field(() => DateTimeScalar) recordedAt: Date;
  @Field(() => String, { nullable: true }) actorSubject: string | null;
  @Field(() => String, { nullable: true }) actorName: string | null;
  @Field(() => String, { nullable: true }) actorRole: string | null;
  @Field(() => String, { nullable: true }) correlationId: string | null;
  @Field(() => String, { nullable: true }) commandId: string | null;
  @Field() summary: string;
  @Field(() => JsonScalar, { description: 'The event data as recorded: what changed' }) data: unknown;
}

/**
 * History entries of events in log order, their summaries naming actions and areas: by the names the events
 * themselves give as they go (an action planned or retitled), else as the activity read model knows them.
 */
export async function toHistoryEntries(
  db: { query(sql: string, params?: unknown[]): Promise<unknown> },
  events: readonly RecordedEvent[],
): Promise<HistoryEntryType[]> {
  const names = await loadNames(db, events);
  return events.map((e) => {
    names.learn(e);
    return toHistoryEntry(e, names);
  });
}

export function toHistoryEntry(e: RecordedEvent, names?: Names): HistoryEntryType {
  return {
    eventId: e.id,
    type: e.type,
    streamId: e.streamId,
    revision: Number(e.revision),
    recordedAt: e.recordedAt,
    actorSubject: e.metadata.actor?.subject ?? null,
    actorName: e.metadata.actor?.name ?? null,
    actorRole: e.metadata.actor?.role ?? null,
    correlationId: e.metadata.correlationId ?? null,
    commandId: typeof e.metadata.commandId === 'string' ? e.metadata.commandId : null,
    summary: summarise(e, { names }),
    data: e.data,
  };
}

@Resolver(() => HistoryEntryType)
export class HistoryResolver {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ReadDb) private readonly db: ReadDb,
  ) {}

  @Policy(Policies.pilotReaders)
  @Query(() => [HistoryEntryType], {
    description: 'The events of one aggregate (e.g. action-<id>, funding-E06000008), oldest first',
  })
  async history(
    @Args('stream') stream: string,
    @Args('asOf', { type: () => DateTimeScalar, nullable: true }) asOf?: Date,
    @Args('fromRevision', { type: () => Int, nullable: true }) fromRevision?: number,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
  ): Promise<HistoryEntryType[]> {
    if (!STREAM_NAME.test(stream))
      throw BadUserInputError.field('stream', 'must be a stream name such as area-E06000008');
    if (fromRevision != null && fromRevision < 0)
      throw BadUserInputError.field('fromRevision', 'must not be negative');
    const limit = first ?? 500;
    if (limit < 1 || limit > 1000) throw BadUserInputError.field('first', 'must be between 1 and 1000');
    let events;
    markReadsLog();
    try {
      events = await this.store.readStream(stream, {
        fromRevision: BigInt(fromRevision ?? 0),
        maxCount: limit,
      });
    } catch (err) {
      if (err instanceof StreamNotFoundError) throw new NotFoundError(`No history for ${stream}`);
      throw err;
    }
    return toHistoryEntries(
      this.db,
      events.filter((e) => !asOf || e.recordedAt <= asOf),
    );
  }
}
