import {
  CommandIdReusedError,
  DuplicateEventIdError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../errors.js';
import { LogSignal } from '../signal.js';
import {
  type AppendOptions,
  type AppendResult,
  type EventData,
  EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type Subscription,
  type SubscriptionMessage,
  comparePositions,
} from '../types.js';

export interface InMemoryEventStoreOptions {
  /** The clock that stamps `recordedAt` (default: the system clock). */
  readonly now?: () => Date;
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * The event store in memory, with the same semantics as the PostgreSQL and EventStoreDB adapters (it passes the
 * same contract suite): optimistic concurrency by expected revision, idempotent retries by event id, command ids
 * that name one command across the store, one global log in append order, catch-up subscriptions that signal
 * `caughtUp` once per burst. For tests of handlers and deciders that need a store but not a database; never
 * for running the product (nothing survives the process).
 *
 * Every append happens in one synchronous step, so concurrent appends are serialised as a database would.
 * Data and metadata are copied in and out (as JSON), so a caller cannot change a stored event.
 */
export class InMemoryEventStore extends EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  /** Where each event id is stored. */
  private readonly eventIds = new Map<string, { streamId: string; revision: bigint }>();
  /** The stream and digest each command id was first used with. */
  private readonly commands = new Map<string, { streamId: string; digest?: string }>();
  private readonly signal = new LogSignal();
  private readonly now: () => Date;
  private appends = 0n;
  private closed = false;

  constructor(options: InMemoryEventStoreOptions = {}) {
    super();
    this.now = options.now ?? (() => new Date());
  }

  async appendToStream(
    streamId: string,
    events: readonly EventData[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('appendToStream needs at least one event');
    if (this.closed) throw new Error('The event store is closed');
    const expected: ExpectedRevision = options.expectedRevision ?? 'any';
    if (typeof expected === 'bigint' && expected < 0n)
      throw new RangeError(`expectedRevision must be >= 0, got ${expected}`);
    const existing = this.streams.get(streamId) ?? [];
    const actual = existing.length > 0 ? existing[existing.length - 1].revision : ('no_stream' as const);

    // A retry of an append already stored (same first id, where that append put it): its first result.
    const stored = this.eventIds.get(events[0].id);
    if (stored && stored.streamId === streamId) {
      const at =
        expected === 'no_stream' ? 0n : typeof expected === 'bigint' ? expected + 1n : stored.revision;
      if (stored.revision === at) {
        this.checkCommand(streamId, options);
        const last = existing[Number(stored.revision) + events.length - 1] ?? existing[existing.length - 1];
        return { nextExpectedRevision: last.revision, position: last.position };
      }
    }

    const matches =
      expected === 'any' ||
      (expected === 'no_stream' && actual === 'no_stream') ||
      (expected === 'stream_exists' && actual !== 'no_stream') ||
      (typeof expected === 'bigint' && actual === expected);
    if (!matches) throw new WrongExpectedVersionError(streamId, expected, actual);
    this.checkCommand(streamId, options);
    const seen = new Set<string>();
    for (const e of events) {
      if (this.eventIds.has(e.id) || seen.has(e.id)) throw new DuplicateEventIdError(streamId, e.id);
      seen.add(e.id);
    }

    if (options.command && !this.commands.has(options.command.id)) {
      this.commands.set(options.command.id, { streamId, digest: options.command.digest });
    }
    const commit = ++this.appends;
    const recordedAt = this.now();
    const first = actual === 'no_stream' ? 0n : actual + 1n;
    const recorded = events.map((e, i): RecordedEvent => ({
      id: e.id,
      type: e.type,
      streamId,
      revision: first + BigInt(i),
      position: { commit, prepare: BigInt(this.log.length + i + 1) },
      data: clone(e.data),
      metadata: clone(e.metadata),
      recordedAt: new Date(recordedAt.getTime()),
    }));
    this.streams.set(streamId, [...existing, ...recorded]);
    for (const e of recorded) {
      this.log.push(e);
      this.eventIds.set(e.id, { streamId, revision: e.revision });
    }
    this.signal.notify();
    const last = recorded[recorded.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  /** Refuses a command id that names another command (another stream, or another digest on this one). */
  private checkCommand(streamId: string, options: AppendOptions): void {
    const command = options.command;
    if (!command) return;
    const used = this.commands.get(command.id);
    if (!used) return;
    const otherDigest =
      used.digest !== undefined && command.digest !== undefined && used.digest !== command.digest;
    if (used.streamId !== streamId || otherDigest) {
      throw new CommandIdReusedError(command.id, streamId, used.streamId);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const events = this.streams.get(streamId);
    if (!events) throw new StreamNotFoundError(streamId);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    let selected = backwards ? [...events].reverse() : [...events];
    if (typeof from === 'bigint') {
      selected = selected.filter((e) => (backwards ? e.revision <= from : e.revision >= from));
    } else if ((from === 'end' && !backwards) || (from === 'start' && backwards)) {
      selected = [];
    }
    return selected.slice(0, options.maxCount ?? selected.length).map(copyOf);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? (backwards ? 'end' : 'start');
    if ((from === 'start' && backwards) || (from === 'end' && !backwards)) return [];
    let selected = backwards ? [...this.log].reverse() : this.log;
    if (typeof from === 'object') {
      selected = selected.filter((e) => {
        const c = comparePositions(e.position, from);
        return backwards ? c <= 0 : c >= 0;
      });
    }
    return selected.slice(0, options.maxCount ?? selected.length).map(copyOf);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    const from = options.fromPosition ?? 'start';
    // The index in the log of the next event to deliver.
    let next = from === 'start' ? 0 : this.log.findIndex((e) => comparePositions(e.position, from) > 0);
    if (next < 0) next = this.log.length;
    let stopped = false;
    let caughtUpAt = -1;
    const log = this.log;
    const signal = this.signal;
    const isClosed = () => this.closed;
    const iterator = async function* (): AsyncGenerator<SubscriptionMessage> {
      while (!stopped && !isClosed()) {
        if (next < log.length) {
          yield { type: 'event', event: copyOf(log[next++]) };
          continue;
        }
        if (caughtUpAt !== next) {
          caughtUpAt = next;
          yield { type: 'caughtUp', position: next > 0 ? log[next - 1].position : null };
          continue;
        }
        await signal.wait(1000);
      }
    };
    const generator = iterator();
    return {
      [Symbol.asyncIterator]: () => generator,
      async unsubscribe() {
        stopped = true;
        signal.notify();
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.signal.notify();
  }
}

function copyOf(e: RecordedEvent): RecordedEvent {
  return {
    ...e,
    data: clone(e.data),
    metadata: clone(e.metadata),
    recordedAt: new Date(e.recordedAt.getTime()),
  };
}
