import type { ExpectedRevision } from './types.js';

/** The actual state of a stream when an expectation failed: its last revision, or 'no_stream'. */
export type ActualRevision = bigint | 'no_stream';

export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: ActualRevision,
  ) {
    super(
      `Wrong expected version for stream "${streamId}": expected ${String(expected)}, actual ${String(actual)}`,
    );
  }
}

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(readonly streamId: string) {
    super(`Stream "${streamId}" not found`);
  }
}

/** An event id already stored elsewhere (not an idempotent retry of the same append). */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`Event id ${eventId} is already stored and this append to "${streamId}" is not a retry of it`);
  }
}
