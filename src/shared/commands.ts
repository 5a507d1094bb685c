import { ConflictError } from '@iap/common';
import {
  type Decider,
  type EventMetadata,
  type EventStore,
  type HandleResult,
  type NewEvent,
  handleCommand,
} from '@iap/event-store';

/** What every command carries besides its own fields. */
export interface CommandEnvelope {
  readonly metadata: Omit<EventMetadata, 'schemaVersion'>;
  /** Client-supplied idempotency key: the same commandId applies once and returns the first result. */
  readonly commandId?: string;
  /** The stream revision the client last read; stale means CONFLICT. */
  readonly expectedRevision?: bigint;
}

/**
 * A stream revision as CONFLICT's `expectedRevision`/`actualRevision` show it: the 0-based revision as a number
 * (like every `revision` field and the `expectedRevision` input), or null when there is no such revision (no
 * stream yet, or no particular revision was expected).
 */
export function revisionForClient(revision: unknown): number | null {
  return typeof revision === 'bigint' ? Number(revision) : typeof revision === 'number' ? revision : null;
}

/** Runs a decider for one stream with the product's conflict error. */
export function decideAndAppend<State, Command, Event extends NewEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, Command, Event>,
  command: Command,
  envelope: CommandEnvelope,
  /** The request as the client sent it, when the handler added facts to make `command` (see HandleOptions.request). */
  request?: unknown,
): Promise<HandleResult<State>> {
  return handleCommand(store, streamId, decider, command, {
    request,
    metadata: envelope.metadata,
    commandId: envelope.commandId,
    expectedRevision: envelope.expectedRevision,
    onCommandIdReused: (err) =>
      new ConflictError('this commandId was used for a different command', { commandId: err.commandId }),
    onConflict: (err) =>
      new ConflictError(
        envelope.expectedRevision !== undefined
          ? `${streamId} has changed since you read it (you read revision ${String(err.expected)}, it is now at ${String(err.actual)}): reload and try again`
          : `${streamId} was changed by someone else at the same time: reload and try again`,
        {
          stream: streamId,
          expectedRevision: revisionForClient(err.expected),
          actualRevision: revisionForClient(err.actual),
        },
      ),
  });
}
