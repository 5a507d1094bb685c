import { createHash, randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { traced } from '@iap/tracing';
import {
  CommandIdReusedError,
  DuplicateEventIdError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from './errors.js';
import type { AppendResult, EventMetadata, EventStore, RecordedEvent } from './types.js';

/** A domain event before it is stored. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Pure decision logic of an aggregate: no I/O, testable as given(events) / when(command) / then(events). */
export interface Decider<State, Command, Event extends NewEvent> {
  /** A fresh initial state for each fold (a factory, so that no fold can share or change another's). */
  initialState(): State;
  /**
   * The state after `event`. It may change `state` in place and return it (a fold owns its state, and no caller
   * uses a state again once it has handed it to evolve): a decider whose state grows with its stream does, so
   * that a fold stays linear in the stream's length.
   */
  evolve(state: State, event: Event): State;
  /** Returns the events the command causes, or throws an error saying why it is refused. */
  decide(command: Command, state: State): readonly Event[];
}

export interface HandleResult<State> {
  readonly streamId: string;
  readonly state: State;
  /** The events the command caused (on a repeated commandId: those it caused the first time). */
  readonly events: readonly RecordedEvent[];
  /** The stream's revision after the command; null when it caused nothing on a stream that does not exist. */
  readonly revision: bigint | null;
  /** Where the last event landed in the global log (null when nothing was written). */
  readonly position: AppendResult['position'] | null;
  /** True when the commandId had already been applied and this call changed nothing. */
  readonly repeated: boolean;
}

export interface HandleOptions<State = unknown> {
  /** Metadata stamped on every event (actor, correlation id, causation id). */
  readonly metadata: Omit<EventMetadata, 'schemaVersion'> & { schemaVersion?: number };
  /** What to throw when concurrent writers keep winning, or the client's expected revision is stale. */
  readonly onConflict: (err: WrongExpectedVersionError) => Error;
  /**
   * Client-supplied idempotency key, naming one command across the whole store: the same command again (same
   * stream, same request) applies once and returns the first result; anything else under it is refused with
   * `CommandIdReusedError` (or what `onCommandIdReused` makes of it). Stored in each event's metadata with the
   * command's digest (`commandDigest`); event ids are derived from it; the store refuses it on another stream.
   */
  readonly commandId?: string;
  /**
   * What the client asked for, which the commandId names: the command before the handler added facts loaded from
   * elsewhere or the clock (another aggregate's state, today's date), which may differ on a retry. Digested with
   * the stream. Defaults to the command itself.
   */
  readonly request?: unknown;
  /** What to throw when the commandId already names another command (default: the CommandIdReusedError). */
  readonly onCommandIdReused?: (err: CommandIdReusedError) => Error;
  /**
   * The revision the client last read. When given, a stream that has moved on is a conflict (no retry):
   * the client decided on stale information.
   */
  readonly expectedRevision?: bigint;
  /**
   * How often a command is decided again on the stream's new state when another writer appended first (default 4:
   * several people of one pilot writing to one stream at the same moment all succeed).
   */
  readonly retries?: number;
  /**
   * A check that needs I/O (e.g. another aggregate's lock), run after `decide` has accepted the command and
   * before appending; never for a repeated commandId, which answers with its first result instead.
   */
  readonly check?: (state: State) => Promise<void>;
}

/** Namespace for event ids derived from command ids (a fixed, arbitrary UUID). */
const COMMAND_NAMESPACE = '6f1c1a52-1d3b-4c55-9a43-53b0b6f0c1de';

/**
 * The digest of a command for its commandId: SHA-256 of the stream and a canonical JSON form of the request (keys
 * sorted; undefined left out as JSON does; bigints, dates, maps and sets in a fixed form), so that the same request
 * built again digests the same.
 */
export function commandDigest(streamId: string, request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([streamId, canonical(request)]))
    .digest('hex');
}

/**
 * A canonical JSON form of a value: object keys sorted, undefined left out as JSON does; bigints, dates, maps and
 * sets in a fixed form. The same value built again, or read back from JSON, gives the same text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : canonical(v)));
  if (value instanceof Map) {
    const entries = [...value.entries()].map(([k, v]) => [canonical(k), canonical(v)]);
    return { $map: entries.sort((a, b) => compareJson(a[0], b[0])) };
  }
  if (value instanceof Set) return { $set: [...value].map(canonical).sort(compareJson) };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'function') out[key] = canonical(v);
  }
  return out;
}

function compareJson(a: unknown, b: unknown): number {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Whether events already stored under a commandId came from the same command. Events written before digests were
 * kept have none: they count as the same command (as they did then).
 */
function sameCommand(prior: readonly RecordedEvent[], digest: string): boolean {
  const stored = prior[0].metadata.commandDigest;
  return typeof stored !== 'string' || stored === digest;
}

/** A deterministic id for what a command creates (e.g. a new action's id), so that retries find it again. */
export function idFromCommand(commandId: string, purpose: string): string {
  return uuidv5(`${purpose}:${commandId}`, COMMAND_NAMESPACE);
}

export async function loadStream(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  try {
    return await store.readStream(streamId);
  } catch (err) {
    if (err instanceof StreamNotFoundError) return [];
    throw err;
  }
}

export function fold<State, Event extends NewEvent>(
  decider: Pick<Decider<State, unknown, Event>, 'initialState' | 'evolve'>,
  events: readonly RecordedEvent[],
): State {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, { type: e.type, data: e.data } as Event);
  return state;
}

export async function loadState<State, Event extends NewEvent>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<State, unknown, Event>, 'initialState' | 'evolve'>,
): Promise<{ state: State; revision: bigint | 'no_stream'; events: RecordedEvent[] }> {
  const events = await loadStream(store, streamId);
  return {
    state: fold(decider, events),
    revision: events.length > 0 ? events[events.length - 1].revision : 'no_stream',
    events,
  };
}

function repeatedResult<State>(
  streamId: string,
  state: State,
  prior: readonly RecordedEvent[],
  all: readonly RecordedEvent[],
): HandleResult<State> {
  const last = prior[prior.length - 1];
  return {
    streamId,
    state,
    events: prior,
    revision: all.length > 0 ? all[all.length - 1].revision : null,
    position: last.position,
    repeated: true,
  };
}

/**
 * Folded states of long streams, per store and decider, kept between commands (this process only): a command on a
 * stream of STATE_CACHE_MIN_EVENTS or more events reads only the events after the kept revision and folds them into
 * the kept state, instead of reading and folding the whole stream. Correct whatever other processes append: what
 * they appended is in that tail, and the append's expected revision refuses a state that has moved on since (the
 * retry then reads the whole stream). An entry is taken out while a command uses it (evolve may change a state in
 * place) and put back, as a copy, only after an append succeeded; least recently used entries go first.
 */
export const STATE_CACHE_MIN_EVENTS = 64;
const STATE_CACHE_MAX_ENTRIES = 500;

interface KeptState {
  readonly state: unknown;
  readonly revision: bigint;
  /** The commandIds of the stream's events, with their digests: a repeated command reads the whole stream. */
  readonly commands: ReadonlyMap<string, string | undefined>;
}

/** Kept states by `<store>:<decider>:<stream>` (ids of the objects), least recently used first. */
const kept = new Map<string, KeptState>();
const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

function idOf(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(o, id);
  }
  return id;
}

function keptKey(store: EventStore, decider: object, streamId: string): string {
  return `${idOf(store)}:${idOf(decider)}:${streamId}`;
}

/** A copy of a state to keep, or undefined when it cannot be copied (then nothing is kept). */
function copyOf(state: unknown): { value: unknown } | undefined {
  try {
    return { value: structuredClone(state) };
  } catch {
    return undefined;
  }
}

function takeKept(key: string): KeptState | undefined {
  const entry = kept.get(key);
  kept.delete(key);
  return entry;
}

function putKept(key: string, entry: KeptState): void {
  kept.delete(key);
  kept.set(key, entry); // last in insertion order: the most recently used
  while (kept.size > STATE_CACHE_MAX_ENTRIES) kept.delete(kept.keys().next().value!);
}

function commandsOf(events: readonly RecordedEvent[], into = new Map<string, string | undefined>()) {
  for (const e of events) {
    const id = e.metadata.commandId;
    if (typeof id === 'string' && !into.has(id))
      into.set(id, typeof e.metadata.commandDigest === 'string' ? e.metadata.commandDigest : undefined);
  }
  return into;
}

/**
 * The stream's state for a command: from the kept state and the events after it when there is one (null when the
 * command's id is among the stream's, so that the caller reads the whole stream for its first result), else from
 * the whole stream.
 */
async function stateForCommand<State, Event extends NewEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, unknown, Event>,
  key: string,
  commandId: string | undefined,
  useKept: boolean,
): Promise<{
  state: State;
  revision: bigint | 'no_stream';
  history: RecordedEvent[] | null;
  commands: Map<string, string | undefined>;
  length: bigint;
}> {
  const entry = useKept ? takeKept(key) : undefined;
  if (entry) {
    const tail = await store
      .readStream(streamId, { fromRevision: entry.revision + 1n })
      .catch((err: unknown) => {
        if (err instanceof StreamNotFoundError) return null;
        throw err;
      });
    const commands = tail ? commandsOf(tail, new Map(entry.commands)) : null;
    if (tail && commands && !(commandId && commands.has(commandId))) {
      let state = entry.state as State;
      for (const e of tail) state = decider.evolve(state, { type: e.type, data: e.data } as Event);
      const revision = tail.length > 0 ? tail[tail.length - 1].revision : entry.revision;
      return { state, revision, history: null, commands, length: revision + 1n };
    }
  }
  const { state, revision, events } = await loadState(store, streamId, decider);
  return { state, revision, history: events, commands: commandsOf(events), length: BigInt(events.length) };
}

/**
 * Loads the aggregate by replaying its stream (a long one from its kept state and the events after it), decides,
 * and appends with the revision it read. On a concurrency conflict it reloads the whole stream and decides once
 * more (the command may still be valid against the new state); if that loses too, or the client's own expected
 * revision is stale, `onConflict` says what to throw.
 */
export async function handleCommand<State, Command, Event extends NewEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<State, Command, Event>,
  command: Command,
  options: HandleOptions<State>,
): Promise<HandleResult<State>> {
  const attempts = (options.retries ?? 4) + 1;
  const { commandId } = options;
  const digest = commandId ? commandDigest(streamId, options.request ?? command) : undefined;
  const reused = (usedOn?: string) => {
    const err = new CommandIdReusedError(commandId!, streamId, usedOn);
    return options.onCommandIdReused ? options.onCommandIdReused(err) : err;
  };
  const key = keptKey(store, decider, streamId);
  for (let attempt = 1; ; attempt++) {
    // The first attempt may start from a kept state; a retry (another writer won) reads the whole stream.
    const loaded = await stateForCommand(store, streamId, decider, key, commandId, attempt === 1);
    const { state, revision, history, commands } = loaded;
    const long = loaded.length >= STATE_CACHE_MIN_EVENTS;
    /** Keeps the stream's state as loaded, when no append happens (`copy`: the caller is given it too). */
    const keepUnchanged = (copy: boolean) => {
      if (!long || typeof revision !== 'bigint') return;
      const keep = copy ? copyOf(state) : { value: state };
      if (keep) putKept(key, { state: keep.value, revision, commands });
    };
    if (commandId && history) {
      const prior = history.filter((e) => e.metadata.commandId === commandId);
      if (prior.length > 0) {
        if (!sameCommand(prior, digest!)) throw reused(streamId);
        return repeatedResult(streamId, state, prior, history);
      }
    }
    if (options.expectedRevision !== undefined && revision !== options.expectedRevision) {
      keepUnchanged(false);
      throw options.onConflict(
        new WrongExpectedVersionError(
          streamId,
          options.expectedRevision,
          revision === 'no_stream' ? 'no_stream' : revision,
        ),
      );
    }
    let decided: readonly Event[];
    try {
      decided = decider.decide(command, state);
      if (decided.length > 0 && options.check) await options.check(state);
    } catch (err) {
      keepUnchanged(false); // refused: decide and check only read the state
      throw err;
    }
    if (decided.length === 0) {
      keepUnchanged(true);
      return {
        streamId,
        state,
        events: [],
        revision: revision === 'no_stream' ? null : revision,
        position: null,
        repeated: false,
      };
    }
    const metadata: EventMetadata = {
      ...options.metadata,
      ...(commandId ? { commandId, commandDigest: digest } : {}),
      schemaVersion: options.metadata.schemaVersion ?? 1,
    };
    const toAppend = decided.map((e, i) => ({
      id: commandId ? idFromCommand(commandId, `event:${streamId}:${i}`) : randomUUID(),
      type: e.type,
      data: e.data,
      metadata,
    }));
    try {
      const append = await traced(
        'event-store append',
        () => ({
          'iap.stream': streamId,
          'iap.event_count': toAppend.length,
          'iap.event_types': [...new Set(toAppend.map((e) => e.type))],
          'iap.expected_revision': revision === 'no_stream' ? 'no_stream' : String(revision),
        }),
        () =>
          store.appendToStream(streamId, toAppend, {
            expectedRevision: revision,
            ...(commandId ? { command: { id: commandId, digest } } : {}),
          }),
      );
      const next = decided.reduce((s, e) => decider.evolve(s, e), state);
      if (loaded.length + BigInt(toAppend.length) >= STATE_CACHE_MIN_EVENTS) {
        // Kept as a copy: the caller's result holds `next`, and evolve may change a state in place.
        if (commandId) commands.set(commandId, digest);
        const copy = copyOf(next);
        if (copy) putKept(key, { state: copy.value, revision: append.nextExpectedRevision, commands });
      }
      const first = append.nextExpectedRevision - BigInt(toAppend.length) + 1n;
      const recordedAt = new Date();
      const events: RecordedEvent[] = toAppend.map((e, i) => ({
        ...e,
        streamId,
        revision: first + BigInt(i),
        position: append.position,
        recordedAt,
      }));
      return {
        streamId,
        state: next,
        events,
        revision: append.nextExpectedRevision,
        position: append.position,
        repeated: false,
      };
    } catch (err) {
      if (err instanceof CommandIdReusedError) throw reused(err.usedOn);
      // A twin request with the same commandId won the race: answer with what it wrote (if it was this command).
      if (commandId && (err instanceof DuplicateEventIdError || err instanceof WrongExpectedVersionError)) {
        const again = await loadStream(store, streamId);
        const prior = again.filter((e) => e.metadata.commandId === commandId);
        if (prior.length > 0) {
          if (!sameCommand(prior, digest!)) throw reused(streamId);
          return repeatedResult(streamId, fold(decider, again), prior, again);
        }
      }
      if (err instanceof WrongExpectedVersionError) {
        if (attempt < attempts && options.expectedRevision === undefined) {
          // Wait a few random milliseconds (more each time), so that writers who collided do not collide again.
          await new Promise((r) => setTimeout(r, Math.random() * 4 * attempt));
          continue;
        }
        throw options.onConflict(err);
      }
      throw err;
    }
  }
}
