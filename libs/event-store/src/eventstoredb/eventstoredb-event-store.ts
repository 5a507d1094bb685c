import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START as CLIENT_START,
  STREAM_EXISTS,
  StreamNotFoundError as ClientStreamNotFoundError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type AppendResult as ClientAppendResult,
  type JSONType,
  type ReadPosition,
  type RecordedEvent as ClientRecordedEvent,
} from '@eventstore/db-client';
import { v5 as uuidv5 } from 'uuid';
import {
  type ActualRevision,
  CommandIdReusedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../errors.js';
import {
  type AppendCommand,
  type AppendOptions,
  type AppendResult,
  type EventData,
  type EventMetadata,
  EventStore,
  type ExpectedRevision,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  START,
  type SubscribeToAllOptions,
  type Subscription,
  type SubscriptionMessage,
  comparePositions,
} from '../types.js';

export interface EventStoreDbEventStoreOptions {
  /** How many `$all` events one `readAll` round trip asks for (system events are filtered out client-side). */
  readonly readPageSize?: number;
  /**
   * A subscription reports `caughtUp` when no further event arrives within this many milliseconds (default 20).
   * The server's own caught-up signal (EventStoreDB 23.10+) is used as well, but it is sent only once, when the
   * subscription first goes live; the port wants one after every burst of events.
   */
  readonly caughtUpAfterMs?: number;
  /** `close()` disposes the client (default true). */
  readonly disposeClientOnClose?: boolean;
}

/**
 * The EventStoreDB / KurrentDB adapter, on `@eventstore/db-client`.
 *
 * Differences from the PostgreSQL adapter that the port cannot hide (see also the notes in the methods):
 * - **Event ids are unique per stream only.** EventStoreDB checks an event id only against the stream being written
 *   (that is how it makes retries idempotent); it keeps no global index of ids, so appending an id already stored in
 *   *another* stream succeeds and stores a second event. This adapter therefore never throws
 *   `DuplicateEventIdError`, and the contract test "rejects an event id already stored in another stream" fails
 *   against EventStoreDB. It is left failing on purpose, not weakened.
 * - **Idempotency with `expectedRevision: 'any'` is best effort**: the server recognises a retry only while the ids
 *   are still in its cache of recently written events. With an exact revision, `no_stream` or `stream_exists`
 *   the check reads the stream and is reliable.
 * - Events read from a single stream carry their global position only from EventStoreDB 22.6 on (`START` before).
 *   The same goes for the position reported for an idempotent retry when the server leaves it out (see
 *   `appendToStream`).
 * - **A command id is claimed before, not with, the append.** EventStoreDB cannot write two streams atomically: an
 *   append with a command id first writes a claim, one event to the stream `es-command-<id>` with `no_stream`
 *   (its event id derived from the id, stream and digest, so that the same command's claim again is an idempotent
 *   no-op and any other is a wrong expected version, read back to say whose it is); then the events. If the append
 *   then fails (or the process stops in between), the claim stays: the same command can still be retried, but the
 *   id cannot name any other command even though none was written. Claim streams (`es-command-` is reserved) are
 *   left out of `readAll` and subscriptions.
 */
export class EventStoreDbEventStore extends EventStore {
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  private readonly readPageSize: number;
  private readonly caughtUpAfterMs: number;
  private closed = false;

  static fromConnectionString(
    connectionString: string,
    options?: EventStoreDbEventStoreOptions,
  ): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    super();
    // At least 2, so that a forward page that starts by repeating the previous page's last event still advances.
    this.readPageSize = Math.max(2, options.readPageSize ?? 500);
    this.caughtUpAfterMs = options.caughtUpAfterMs ?? 20;
  }

  async appendToStream(
    streamId: string,
    events: readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    const expected = options.expectedRevision ?? 'any';
    if (options.command) await this.claimCommand(streamId, options.command);
    let result: ClientAppendResult;
    try {
      result = await this.client.appendToStream(
        streamId,
        events.map((e) =>
          jsonEvent({
            id: e.id,
            type: e.type,
            data: e.data as JSONType,
            metadata: e.metadata as unknown as JSONType,
          }),
        ),
        { expectedRevision: toClientExpectedRevision(expected) },
      );
    } catch (err) {
      if (isClientError(err, ClientWrongExpectedVersionError, 'wrong-expected-version')) {
        throw new WrongExpectedVersionError(streamId, expected, toActualRevision(err.actualVersion));
      }
      throw err;
    }
    // Only when the client was built with throwOnAppendFailure=false.
    if (!result.success) {
      throw new WrongExpectedVersionError(streamId, expected, toActualRevision(result.nextExpectedRevision));
    }
    // An append reports the position of its last event (as `$all` has it). An idempotent retry does too on recent
    // servers, but older ones (and recent ones while the first write is not yet indexed) leave the position out:
    // then look the last event up, so that a retry still reports the position the first append did.
    const position =
      result.position ?? (await this.positionOfRevision(streamId, result.nextExpectedRevision)) ?? START;
    return { nextExpectedRevision: result.nextExpectedRevision, position };
  }

  /** Claims a command id for this stream and digest, or throws CommandIdReusedError (see the class comment). */
  private async claimCommand(streamId: string, command: AppendCommand): Promise<void> {
    const claimStream = `${COMMAND_CLAIM_PREFIX}${command.id}`;
    const claim = { streamId, digest: command.digest ?? null };
    try {
      await this.client.appendToStream(
        claimStream,
        jsonEvent({
          id: uuidv5(JSON.stringify([command.id, streamId, claim.digest]), CLAIM_NAMESPACE),
          type: 'CommandClaimed',
          data: claim,
        }),
        { expectedRevision: NO_STREAM },
      );
    } catch (err) {
      if (!isClientError(err, ClientWrongExpectedVersionError, 'wrong-expected-version')) throw err;
      const [first] = await this.readStream(claimStream, { maxCount: 1 });
      const used = first?.data as { streamId?: string; digest?: string | null } | undefined;
      const sameStream = used?.streamId === streamId;
      const sameDigest = !used?.digest || !command.digest || used.digest === command.digest;
      if (!sameStream || !sameDigest) throw new CommandIdReusedError(command.id, streamId, used?.streamId);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    if (options.maxCount !== undefined && options.maxCount <= 0) {
      await this.readStream(streamId, { maxCount: 1 }); // still throws StreamNotFoundError for a missing stream
      return [];
    }
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: from === 'start' ? CLIENT_START : from === 'end' ? END : from,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of read) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (err) {
      if (isClientError(err, ClientStreamNotFoundError, 'stream-not-found')) {
        throw new StreamNotFoundError(streamId);
      }
      throw err;
    }
    return events;
  }

  /**
   * Reads `$all` without system events: types starting with `$` and streams starting with `$` (metadata streams,
   * projections' link streams, statistics) are skipped, and reading goes on page by page until `maxCount` user
   * events or the end of the log.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? (backwards ? 'end' : 'start');
    const want = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (want <= 0) return [];
    if (from === 'start' && backwards) return [];
    if (from === 'end' && !backwards) return [];

    const out: RecordedEvent[] = [];
    let cursor: ReadPosition = from === 'start' ? CLIENT_START : from === 'end' ? END : from;
    // Events at or before (forwards) / at or after (backwards) this position were already dealt with.
    let seen: Position | null = null;
    if (backwards && typeof from === 'object') {
      // EventStoreDB reads $all backwards from a position *exclusively* (it starts with the record that ends
      // before it); the port's fromPosition is inclusive, so fetch the event at exactly `from` first.
      const [head] = await this.readAllPage(FORWARDS, from, 1);
      if (head?.event && comparePositions(head.event.position, from) === 0 && isUserEvent(head.event)) {
        out.push(toRecordedEvent(head.event));
      }
      seen = from;
    }
    while (out.length < want) {
      // Ask for what is still wanted (+1: a forward page after the first repeats the previous page's last event).
      const size = Number.isFinite(want)
        ? Math.min(Math.max(want - out.length + 1, 2), this.readPageSize)
        : this.readPageSize;
      const page = await this.readAllPage(backwards ? BACKWARDS : FORWARDS, cursor, size);
      for (const resolved of page) {
        const e = resolved.event;
        if (!e) continue;
        if (
          seen &&
          (backwards ? comparePositions(e.position, seen) >= 0 : comparePositions(e.position, seen) <= 0)
        ) {
          continue;
        }
        if (isUserEvent(e)) {
          out.push(toRecordedEvent(e));
          if (out.length >= want) break;
        }
      }
      if (page.length < size) break; // the end of the log
      const last = page[page.length - 1].event?.position;
      if (!last) break;
      // Forwards the next page starts at `last` inclusively (it is skipped above); backwards exclusively.
      cursor = last;
      seen = last;
    }
    return out;
  }

  /**
   * A catch-up subscription to `$all` with system events filtered out by the server (`excludeSystemEvents()`, on
   * the event type) and, to match `readAll`, events of `$` streams dropped here. `fromPosition` is exclusive.
   */
  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    if (this.closed) throw new Error('The event store is closed');
    const from = options.fromPosition ?? 'start';
    const sub = new EventStoreDbSubscription(
      (onCheckpoint) =>
        this.client.subscribeToAll({
          fromPosition: from === 'start' ? CLIENT_START : from,
          filter: excludeSystemEvents({ checkpointReached: onCheckpoint }),
        }),
      from === 'start' ? null : from,
      this.caughtUpAfterMs,
      () => this.subscriptions.delete(sub),
    );
    this.subscriptions.add(sub);
    return sub;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    if (this.options.disposeClientOnClose !== false) await this.client.dispose();
  }

  private async readAllPage(
    direction: typeof FORWARDS | typeof BACKWARDS,
    fromPosition: ReadPosition,
    maxCount: number,
  ): Promise<AllStreamResolvedEvent[]> {
    const page: AllStreamResolvedEvent[] = [];
    for await (const resolved of this.client.readAll({ direction, fromPosition, maxCount })) {
      page.push(resolved);
    }
    return page;
  }

  /** The global position of the event at `revision` in the stream (servers 22.6+ report it on stream reads). */
  private async positionOfRevision(streamId: string, revision: bigint): Promise<Position | undefined> {
    if (revision < 0n) return undefined;
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 }).catch(() => []);
    return event && comparePositions(event.position, START) > 0 ? event.position : undefined;
  }
}

function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (expected < 0n) throw new RangeError(`expectedRevision must be >= 0, got ${expected}`);
      return expected;
  }
}

/** The client reports a missing stream as 'no_stream', or (from some error paths) as -1. */
function toActualRevision(actual: unknown): ActualRevision {
  if (typeof actual === 'bigint') return actual < 0n ? 'no_stream' : actual;
  if (typeof actual === 'number' || (typeof actual === 'string' && /^-?\d+$/.test(actual))) {
    const n = BigInt(actual);
    return n < 0n ? 'no_stream' : n;
  }
  return 'no_stream';
}

/** `instanceof`, or the client's error `type` tag should two copies of the client be loaded. */
function isClientError<T extends Error>(
  err: unknown,
  cls: abstract new (...args: never[]) => T,
  type: string,
): err is T {
  return err instanceof cls || (err instanceof Error && (err as { type?: unknown }).type === type);
}

/** Streams holding command-id claims (one each): reserved, and not part of the log the port shows. */
const COMMAND_CLAIM_PREFIX = 'es-command-';
/** Namespace for the claims' event ids (a fixed, arbitrary UUID). */
const CLAIM_NAMESPACE = '2b0f4a8e-7c1d-4f5e-9a36-1d8e0c7b5a94';

function isUserEvent(e: { type: string; streamId: string }): boolean {
  return (
    !e.type.startsWith('$') && !e.streamId.startsWith('$') && !e.streamId.startsWith(COMMAND_CLAIM_PREFIX)
  );
}

function toMetadata(raw: unknown): EventMetadata {
  // Events written by other tools may have no (or non-JSON) metadata; schema version 1 is the decider's default too.
  if (raw === null || typeof raw !== 'object' || raw instanceof Uint8Array || Array.isArray(raw)) {
    return { schemaVersion: 1 };
  }
  const metadata = raw as Partial<EventMetadata>;
  return typeof metadata.schemaVersion === 'number'
    ? (metadata as EventMetadata)
    : { ...metadata, schemaVersion: 1 };
}

function toRecordedEvent(e: ClientRecordedEvent): RecordedEvent {
  return {
    id: e.id,
    type: e.type,
    streamId: e.streamId,
    revision: e.revision,
    position: e.position ? { commit: e.position.commit, prepare: e.position.prepare } : START,
    data: e.data,
    metadata: toMetadata(e.metadata),
    recordedAt: e.created,
  };
}

type Outcome = 'wake' | 'quiet';

/**
 * Adapts the client's subscription (a Readable in object mode) to the port's async iterable. It is pulled with
 * `read()`, so the client's back-pressure holds, and so that the server's caught-up signal can be put in its place
 * after the events that were already buffered when it arrived.
 */
class EventStoreDbSubscription implements Subscription, AsyncIterator<SubscriptionMessage> {
  private readonly source: AllStreamSubscription;
  private stopped = false;
  private ended = false;
  private failure: { error: unknown } | null = null;
  private confirmed = false;
  /** Events taken from the source so far, and the counts after which the server's caught-up signals fall. */
  private taken = 0;
  private readonly serverCaughtUpAfter: number[] = [];
  /** A caughtUp has been delivered since the last event. */
  private caughtUpDelivered = false;
  private lastActivity = Date.now();
  private wake: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    open: (onCheckpoint: () => void) => AllStreamSubscription,
    private lastPosition: Position | null,
    private readonly quietMs: number,
    private readonly onStop: () => void,
  ) {
    this.source = open(() => this.activity());
    this.source.on('readable', () => this.signal());
    this.source.on('end', () => {
      this.ended = true;
      this.signal();
    });
    this.source.on('close', () => {
      this.ended = true;
      this.signal();
    });
    this.source.on('error', (error: unknown) => {
      this.failure ??= { error };
      this.signal();
    });
    this.source.on('confirmation', () => {
      this.confirmed = true;
      this.activity();
    });
    this.source.on('caughtUp', () => {
      // Everything the server sent before this signal is delivered once the buffered events have been taken.
      this.serverCaughtUpAfter.push(this.taken + this.source.readableLength);
      this.signal();
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return this;
  }

  /** Calls are served one at a time, in order. */
  next(): Promise<IteratorResult<SubscriptionMessage>> {
    const result = this.queue.then(() => this.pull());
    this.queue = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<SubscriptionMessage>> {
    await this.unsubscribe();
    return { done: true, value: undefined };
  }

  async unsubscribe(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.onStop();
    this.signal();
    await this.source.unsubscribe().catch(() => undefined);
    this.source.destroy();
  }

  private async pull(): Promise<IteratorResult<SubscriptionMessage>> {
    for (;;) {
      if (this.stopped) return { done: true, value: undefined };
      if (this.serverCaughtUpAfter.length > 0 && this.serverCaughtUpAfter[0] <= this.taken) {
        while (this.serverCaughtUpAfter.length > 0 && this.serverCaughtUpAfter[0] <= this.taken) {
          this.serverCaughtUpAfter.shift();
        }
        if (!this.caughtUpDelivered) return this.caughtUp();
        continue;
      }
      const resolved = this.source.destroyed ? null : (this.source.read() as AllStreamResolvedEvent | null);
      if (resolved !== null) {
        this.taken++;
        this.confirmed = true;
        this.activity();
        const e = resolved.event;
        if (!e || !isUserEvent(e)) continue;
        const event = toRecordedEvent(e);
        this.lastPosition = event.position;
        this.caughtUpDelivered = false;
        return { done: false, value: { type: 'event', event } };
      }
      if (this.failure) throw this.failure.error;
      if (this.ended) return { done: true, value: undefined };
      // Nothing buffered. Once the server has confirmed the subscription, a quiet spell means caught up, unless
      // the server's own signal is still due behind buffered events (then data is coming anyway).
      const mayReport = this.confirmed && !this.caughtUpDelivered && this.serverCaughtUpAfter.length === 0;
      if ((await this.waitForSource(mayReport)) === 'quiet') return this.caughtUp();
    }
  }

  private caughtUp(): IteratorResult<SubscriptionMessage> {
    this.caughtUpDelivered = true;
    return { done: false, value: { type: 'caughtUp', position: this.lastPosition } };
  }

  /** Resolves on any news from the source, or with 'quiet' after `quietMs` without any (when `quiet` is set). */
  private waitForSource(quiet: boolean): Promise<Outcome> {
    const since = Date.now();
    return new Promise<Outcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        const idle = Date.now() - Math.max(since, this.lastActivity);
        if (idle >= this.quietMs) finish('quiet');
        else timer = setTimeout(check, this.quietMs - idle);
      };
      const finish = (outcome: Outcome) => {
        clearTimeout(timer);
        this.wake = null;
        resolve(outcome);
      };
      this.wake = () => finish('wake');
      if (quiet) timer = setTimeout(check, this.quietMs);
    });
  }

  private signal(): void {
    this.wake?.();
  }

  /** Events, checkpoints (the server is scanning past filtered events) and the confirmation postpone `caughtUp`. */
  private activity(): void {
    this.lastActivity = Date.now();
    if (!this.caughtUpDelivered) this.signal();
  }
}
