import { loadStream } from './decider.js';
/**
 * The event store port. Its semantics mirror EventStoreDB (see ARCHITECTURE.md) so that the PostgreSQL
 * adapter and the EventStoreDB adapter pass one contract suite.
 */

/** A position in the global log. Opaque and comparable; never assume positions are contiguous. */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START: Position = Object.freeze({ commit: 0n, prepare: 0n });

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Serialises a position for storage in a checkpoint or a cursor (`commit/prepare`). */
export function positionToString(p: Position): string {
  return `${p.commit}/${p.prepare}`;
}

/** Reads a position written by `positionToString` (`commit/prepare`); null when the text is not one. */
export function parsePosition(text: string): Position | null {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  return m ? { commit: BigInt(m[1]), prepare: BigInt(m[2]) } : null;
}

/** Who caused an event: written into every event's metadata. */
export interface Actor {
  readonly subject: string;
  readonly name?: string;
  readonly role?: string;
  readonly area?: string;
}

export interface EventMetadata {
  readonly actor?: Actor;
  readonly correlationId?: string;
  readonly causationId?: string;
  /** Version of the event's data schema; old versions are upcast on read, never rewritten. */
  readonly schemaVersion: number;
  readonly [key: string]: unknown;
}

/** An event to append. */
export interface EventData<Type extends string = string, Data = unknown> {
  /** UUID. Re-appending the same ids at the same expected revision is an idempotent no-op. */
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/** An event as stored. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  readonly id: string;
  readonly type: Type;
  readonly streamId: string;
  /** 0-based position of the event in its stream. */
  readonly revision: bigint;
  readonly position: Position;
  readonly data: Data;
  readonly metadata: EventMetadata;
  readonly recordedAt: Date;
}

/** `any`: no check; `no_stream`: the stream must not exist; `stream_exists`: it must; a bigint: its last revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/**
 * The command an append carries out. A command id names one command across the whole store: the first append
 * under an id claims it for its stream (and digest), atomically with writing its events where the adapter can
 * (see each adapter); an append under an id already claimed by another stream, or by this stream with another
 * digest, throws `CommandIdReusedError` and writes nothing. The same stream and digest again is allowed (the caller
 * recognises a repeated command by the events' metadata; see `handleCommand`).
 */
export interface AppendCommand {
  readonly id: string;
  /** What the command was (e.g. a hash of its stream and payload); compared when both sides have one. */
  readonly digest?: string;
}

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
  readonly command?: AppendCommand;
}

export interface AppendResult {
  /** The revision of the last event now in the stream: pass it as the next `expectedRevision`. */
  readonly nextExpectedRevision: bigint;
  /** The global position of the last event written. */
  readonly position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  readonly direction?: Direction;
  /** Inclusive. Defaults to the first event forwards, the last event backwards. */
  readonly fromRevision?: bigint | 'start' | 'end';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  readonly direction?: Direction;
  /** Inclusive, as in EventStoreDB. Defaults to the start forwards, the end backwards. */
  readonly fromPosition?: Position | 'start' | 'end';
  readonly maxCount?: number;
}

export interface ReadStreamsOptions {
  /** Only events recorded at or before this instant. */
  readonly recordedUpTo?: Date;
}

export interface SubscribeToAllOptions {
  /** Exclusive, as in EventStoreDB: the subscription delivers events after this position. */
  readonly fromPosition?: Position | 'start';
}

export type SubscriptionMessage =
  | { readonly type: 'event'; readonly event: RecordedEvent }
  /**
   * Everything in the store up to `position` has been delivered; live events follow. Sent once when the
   * subscription first reaches the end of the log and once after each later burst of events: never twice with no
   * event in between (a poll or wake-up that finds nothing new says nothing).
   */
  | { readonly type: 'caughtUp'; readonly position: Position | null };

/** A catch-up subscription: delivers history, then live events, in log order, until unsubscribed. */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  unsubscribe(): Promise<void>;
}

export abstract class EventStore {
  abstract appendToStream(
    streamId: string,
    events: readonly EventData[],
    options?: AppendOptions,
  ): Promise<AppendResult>;

  /** Throws StreamNotFoundError when the stream has no events. */
  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  abstract readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /**
   * Every event of these streams (a stream with no events adds none), in log order; with `recordedUpTo`, only
   * those recorded at or before that instant. Adapters with a cheaper way than one read per stream override it.
   */
  async readStreams(
    streamIds: readonly string[],
    options: ReadStreamsOptions = {},
  ): Promise<RecordedEvent[]> {
    const upTo = options.recordedUpTo;
    const events: RecordedEvent[] = [];
    // A few at a time: enough to overlap round trips without taking a whole connection pool.
    for (let i = 0; i < streamIds.length; i += 8) {
      const lists = await Promise.all(streamIds.slice(i, i + 8).map((id) => loadStream(this, id)));
      for (const list of lists) for (const e of list) if (!upTo || e.recordedAt <= upTo) events.push(e);
    }
    return events.sort((a, b) => comparePositions(a.position, b.position));
  }

  /**
   * `readStreams` a page at a time (at most `pageSize` events per page, in log order), for reads too long to hold
   * at once. The default reads everything first; adapters that can stream override it.
   */
  async *readStreamsInPages(
    streamIds: readonly string[],
    options: ReadStreamsOptions & { readonly pageSize?: number } = {},
  ): AsyncGenerator<RecordedEvent[]> {
    const size = options.pageSize ?? 5000;
    const all = await this.readStreams(streamIds, options);
    for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
  }

  abstract subscribeToAll(options?: SubscribeToAllOptions): Subscription;

  abstract close(): Promise<void>;
}
