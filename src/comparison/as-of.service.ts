import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { BadUserInputError } from '@iap/common';
import type { GraphQLResolveInfo } from 'graphql';
import { EventStore, type RecordedEvent } from '@iap/event-store';
import { ALL_EVENTS, AsOfSnapshots, ProjectionRunner } from '@iap/projections';
import { DataSource } from 'typeorm';
import { areaStream } from '../areas/domain/area.js';
import { actionIdsOfAreas, actionStream } from '../delivery/public-api.js';
import { fundingStreamId } from '../funding/public-api.js';
import { learningIdsOfAreas, learningStream } from '../learning/public-api.js';
import { INDICATOR_CATALOGUE_STREAM, outcomesStream, returnStream } from '../outcomes/public-api.js';
import { ReadDb, markReadsLog } from '../shared/read-db.js';
import { THEME_CATALOGUE_STREAM } from '../themes/domain/theme.js';

/**
 * "As it stood then": the events of the given areas (and the programme's reference data) recorded up to an
 * instant, replayed through the live projections into a snapshot that the rest of the request reads from.
 * Corrections made after the instant are not in it; the live query shows them.
 */
@Injectable()
export class AsOfService implements OnModuleDestroy {
  private readonly snapshots: AsOfSnapshots;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(ReadDb) private readonly readDb: ReadDb,
  ) {
    this.snapshots = new AsOfSnapshots(dataSource);
  }

  async onModuleDestroy(): Promise<void> {
    await this.snapshots.close();
  }

  /** The streams whose events make up these areas' records. */
  async streamsOf(areaCodes: readonly string[]): Promise<string[]> {
    const [actions, learning] = await Promise.all([
      actionIdsOfAreas(this.dataSource, areaCodes),
      learningIdsOfAreas(this.dataSource, areaCodes),
    ]);
    return [
      THEME_CATALOGUE_STREAM,
      INDICATOR_CATALOGUE_STREAM,
      ...areaCodes.flatMap((c) => [areaStream(c), fundingStreamId(c), outcomesStream(c), returnStream(c)]),
      ...actions.map((a) => actionStream(a.id)),
      ...learning.map((l) => learningStream(l.id)),
    ];
  }

  /** Every event of these streams recorded at or before `asOf`, in log order. */
  eventsUpTo(streams: readonly string[], asOf: Date): Promise<RecordedEvent[]> {
    markReadsLog();
    return this.store.readStreams(streams, { recordedUpTo: asOf });
  }

  /** The same, a page at a time (an area's whole history need not sit in memory at once). */
  eventPages(streams: readonly string[], asOf: Date): AsyncIterable<RecordedEvent[]> {
    markReadsLog();
    return this.store.readStreamsInPages(streams, { recordedUpTo: asOf, pageSize: 5000 });
  }

  /**
   * Switches the current request to the record of these areas as it stood at `asOf`. The snapshot then serves
   * the whole request, so the asking field must be the request's only one.
   */
  async enter(areaCodes: readonly string[], asOf: Date, info: GraphQLResolveInfo): Promise<void> {
    if (info.operation.selectionSet.selections.length > 1) {
      throw BadUserInputError.field('asOf', 'a query with asOf must be the only field of its request');
    }
    const pages = this.eventPages(await this.streamsOf(areaCodes), asOf);
    const projections = this.runner.projections.filter((p) => !p.eventTypes.includes(ALL_EVENTS));
    const snapshot = await this.snapshots.create(projections, pages);
    try {
      this.readDb.useSnapshot(snapshot);
    } catch (err) {
      await snapshot.release();
      throw err;
    }
  }

  /** `enter` for every pilot area (the programme-level queries). */
  async enterForPilots(asOf: Date, info: GraphQLResolveInfo): Promise<void> {
    const pilots: { code: string }[] = await this.dataSource.query(
      `SELECT code FROM areas WHERE kind = 'PILOT'`,
    );
    await this.enter(
      pilots.map((p) => p.code),
      asOf,
      info,
    );
  }
}
