import { randomUUID } from 'node:crypto';
import { StreamNotFoundError, WrongExpectedVersionError } from './errors.js';
import type { AppendResult, EventMetadata, EventStore, ExpectedRevision, RecordedEvent } from './types.js';

/** A domain event before it is stored. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Pure decision logic of an aggregate: no I/O, testable as given(events) / when(command) / then(events). */
export interface Decider<State, Command, Event extends NewEvent> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  /** Returns the events the command causes, or throws an error saying why it is refused. */
  decide(command: Command, state: State): readonly Event[];
}

export interface HandleResult<State> {
  readonly state: State;
  readonly events: readonly RecordedEvent[];
  readonly append: AppendResult | null;
}

export interface HandleOptions {
  /** Metadata stamped on every event (actor, correlation id, causation id). */
  readonly metadata: Omit<EventMetadata, 'schemaVersion'> & { schemaVersion?: number };
  /** Called when a concurrent writer won and the retry also lost. */
  readonly onConflict: (err: WrongExpectedVersionError) => Error;
  readonly retries?: number;
}

export async function loadState<State, Event extends NewEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<State, unknown, Event>, 'initialState' | 'evolve'>,
): Promise<{ state: State; revision: ExpectedRevision }> {
  let events: RecordedEvent[];
  try {
    events = await store.readStream(streamId);
  } catch (err) {
    if (err instanceof StreamNotFoundError) return { state: decider.initialState, revision: 'no_stream' };
    throw err;
  }
  let state = decider.initialState;
  for (const e of events) state = decider.evolve(state, { type: e.type, data: e.data } as Event);
  return { state, revision: events.length > 0 ? events[events.length - 1].revision : 'no_stream' };
}

/**
 * Loads the aggregate by replaying its stream, decides, and appends with the revision it read. On a
 * concurrency conflict it reloads and decides again (the command may still be valid against the new state);
 * if that loses too, `onConflict` says what to throw.
 */
export async function handleCommand<State, Command, Event extends NewEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, Command, Event>,
  command: Command,
  options: HandleOptions,
): Promise<HandleResult<State>> {
  const attempts = (options.retries ?? 1) + 1;
  for (let attempt = 1; ; attempt++) {
    const { state, revision } = await loadState(store, streamId, decider);
    const decided = decider.decide(command, state);
    if (decided.length === 0) return { state, events: [], append: null };
    const metadata: EventMetadata = { ...options.metadata, schemaVersion: options.metadata.schemaVersion ?? 1 };
    const toAppend = decided.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata }));
    try {
      const append = await store.appendToStream(streamId, toAppend, { expectedRevision: revision });
      const next = decided.reduce((s, e) => decider.evolve(s, e), state);
      const first = append.nextExpectedRevision - BigInt(toAppend.length) + 1n;
      const events: RecordedEvent[] = toAppend.map((e, i) => ({
        ...e,
        streamId,
        revision: first + BigInt(i),
        position: append.position,
        recordedAt: new Date(),
      }));
      return { state: next, events, append };
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) {
        if (attempt < attempts) continue;
        throw options.onConflict(err);
      }
      throw err;
    }
  }
}
