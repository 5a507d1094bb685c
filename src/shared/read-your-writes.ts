import { Inject, Injectable } from '@nestjs/common';
import { EventStore, type HandleResult, type RecordedEvent, loadStream } from '@iap/event-store';
import { ProjectionRunner } from '@iap/projections';
import type { GraphQLContext } from './graphql-context.js';
import { ReadSource } from './read-source.js';

/** How long a mutation waits for the read models to hold what it wrote (READ_YOUR_WRITES_WAIT_MS). */
export const READ_YOUR_WRITES_WAIT_MS = Symbol('READ_YOUR_WRITES_WAIT_MS');

/** What a mutation answered without its read models: `extensions.readModels` of the response. */
export interface ReadModelsBehind {
  readonly caughtUp: false;
  /** The projections that had not yet applied the command's events when it answered. */
  readonly projections: string[];
  readonly message: string;
}

/** The GraphQL response extension for a request whose mutations answered from their events (or undefined). */
export function readModelsExtension(
  ctx: Pick<GraphQLContext, 'readModelsBehind'>,
): ReadModelsBehind | undefined {
  const behind = ctx.readModelsBehind;
  if (!behind || behind.size === 0) return undefined;
  return {
    caughtUp: false,
    projections: [...behind].sort(),
    message:
      'Your change was recorded. This answer was built from the events it wrote, because the read models had not caught up yet: lists and totals may not show it for a moment.',
  };
}

/**
 * The one way a mutation answers: run the command (the caller does), then read its record back once the read
 * models hold it. When they do not within the wait (a busy or stalled projection), the mutation still succeeded:
 * it answers what it wrote, folded from the record's stream up to the command (`written`), and the response
 * says in `extensions.readModels` that the read models are behind. A mutation whose events were appended never
 * answers an error because a read model is slow.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(ProjectionRunner) private readonly projections: ProjectionRunner,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(READ_YOUR_WRITES_WAIT_MS) private readonly waitMs: number,
    @Inject(ReadSource) private readonly source: ReadSource,
  ) {}

  /** Resolves true once `projections` hold the command's events (or it wrote none), false after the wait. */
  async caughtUp(
    result: Pick<HandleResult<unknown>, 'position'>,
    projections: readonly string[],
  ): Promise<boolean> {
    if (!result.position) return true;
    const caughtUp = await this.projections.waitFor(result.position, projections, this.waitMs);
    // This process's next queries read a replica only once it has replayed this write (see ReadSource).
    await this.source.noteWrite();
    return caughtUp;
  }

  /**
   * Answers the command's record: `read()` from the read models when they hold the command's events, else
   * (or when the read model has no row) `written(events)` from the stream's events up to the command's revision.
   */
  async answer<T>(
    ctx: GraphQLContext,
    result: HandleResult<unknown>,
    projections: readonly string[],
    read: () => Promise<T | null | undefined>,
    written: (stream: readonly RecordedEvent[]) => T | Promise<T>,
  ): Promise<T> {
    const caughtUp = await this.caughtUp(result, projections);
    if (caughtUp) {
      const row = await read();
      if (row != null) return row;
    }
    const stream = (await loadStream(this.store, result.streamId)).filter(
      (e) => result.revision === null || e.revision <= result.revision,
    );
    // Only a read model that has not caught up is reported behind (not one that holds no row for the record).
    if (!caughtUp) for (const name of projections) ctx.readModelsBehind?.add(name);
    return await written(stream);
  }
}
