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

/**
 * A command id already names another command: it was used on another stream, or on this stream for a command
 * with another digest. Nothing was written.
 */
export class CommandIdReusedError extends Error {
  override readonly name = 'CommandIdReusedError';
  constructor(
    readonly commandId: string,
    readonly streamId: string,
    /** The stream the id was first used on, when the store knows it. */
    readonly usedOn?: string,
  ) {
    super(
      `Command id ${commandId} was used for a different command${usedOn ? ` (on "${usedOn}")` : ''}; ` +
        `the append to "${streamId}" is refused`,
    );
  }
}
