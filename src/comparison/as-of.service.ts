import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AppError, BadUserInputError } from '@iap/common';
import type { GraphQLResolveInfo } from 'graphql';
import { EventStore, type RecordedEvent, comparePositions } from '@iap/event-store';
import { AsOfViews, ProjectionRunner } from '@iap/projections';
import { DataSource } from 'typeorm';
import { areaStream } from '../areas/public-api.js';
import { actionIdsOfAreas, actionStream } from '../delivery/public-api.js';
import { fundingStreamId } from '../funding/public-api.js';
import { learningIdsOfAreas, learningStream } from '../learning/public-api.js';
import { INDICATOR_CATALOGUE_STREAM, outcomesStream, returnStream } from '../outcomes/public-api.js';
import { ReadDb, markReadsLog } from '../shared/read-db.js';
import { THEME_CATALOGUE_STREAM } from '../themes/public-api.js';

/** How long an asOf request waits for the projections to apply what the log already holds. */
const CATCH_UP_WAIT_MS = 10_000;
/** How far apart the clocks of the servers writing the log may be. */
const CLOCK_MARGIN_MS = 5_000;

/**
 * "As it stood then": the read models as they were once every event recorded up to an instant was applied,
 * read from their history (see AsOfViews) for the rest of the request. Corrections made after the instant are
 * not in it; the live query shows them. Also lists the events behind a figure (`eventsUpTo`).
 */
@Injectable()
export class AsOfService implements OnModuleDestroy {
  readonly views: AsOfViews;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(ReadDb) private readonly readDb: ReadDb,
  ) {
    this.views = new AsOfViews(dataSource, runner.projections);
  }

  async onModuleDestroy(): Promise<void> {
    await this.views.close();
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

  /**
   * Switches the current request to the read models as they stood at `asOf` (every event recorded up to it).
   * The snapshot then serves the whole request, so the asking field must be the request's only one.
   */
  async enter(asOf: Date, info: GraphQLResolveInfo): Promise<void> {
    if (info.operation.selectionSet.selections.length > 1) {
      throw BadUserInputError.field('asOf', 'a query with asOf must be the only field of its request');
    }
    await this.caughtUpTo(asOf);
    const snapshot = await this.views.open(asOf);
    try {
      this.readDb.useSnapshot(snapshot);
    } catch (err) {
      await snapshot.release();
      throw err;
    }
  }

  /**
   * The views answer from the read models, so every event recorded up to `asOf` must be in them: when the log
   * holds events the projections have not applied yet that were recorded by then (a recent instant, or a server
   * catching up), this waits for them, and says so if they take too long. Older instants do not wait.
   */
  private async caughtUpTo(asOf: Date): Promise<void> {
    const historied = this.runner.projections.filter((p) => p.asOf).map((p) => p.name);
    const positions = historied.map((n) => this.runner.position(n));
    const lowest = positions.includes(null)
      ? null
      : positions.reduce((a, b) => (comparePositions(a!, b!) <= 0 ? a : b));
    // The first event the slowest of them has not applied: when it was recorded after the instant (give or take
    // the clocks of the servers that wrote it), nothing the instant needs is missing.
    const next = (await this.store.readAll({ fromPosition: lowest ?? 'start', maxCount: 2 })).find(
      (e) => !lowest || comparePositions(e.position, lowest) > 0,
    );
    if (!next || next.recordedAt.getTime() > asOf.getTime() + CLOCK_MARGIN_MS) return;
    const [head] = await this.store.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1 });
    if (!head) return;
    if (await this.runner.waitFor(head.position, historied, CATCH_UP_WAIT_MS)) return;
    throw new AppError(
      'UNAVAILABLE',
      `The read models are still catching up with the events recorded up to ${asOf.toISOString()}; try again shortly`,
    );
  }
}
