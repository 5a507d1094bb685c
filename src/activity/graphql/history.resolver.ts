import { Policies, Policy } from '@iap/auth';
import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { BadUserInputError } from '@iap/common';
import { DateTimeScalar } from '@iap/common/graphql';
import { EventStore } from '@iap/event-store';
import { ReadDb } from '../../shared/read-db.js';
import { streamHistory } from './activity.read.js';
import { HistoryEntryType } from './activity.types.js';

const STREAM_NAME = /^[a-z][a-z-]*-[A-Za-z0-9_-]{1,100}$/;

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
    return streamHistory(this.store, this.db, {
      stream,
      fromRevision: fromRevision ?? 0,
      limit,
      asOf: asOf ?? null,
    });
  }
}
