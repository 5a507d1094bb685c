import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../database/src/index.js';
import { type Decider, STATE_CACHE_MIN_EVENTS, commandDigest, handleCommand } from './decider.js';
import { CommandIdReusedError, StreamNotFoundError, WrongExpectedVersionError } from './errors.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { EVENT_STORE_SCHEMA_UP } from './postgres/schema.js';
import type { AppendOptions, AppendResult, EventData } from './types.js';

type Ev = { type: 'Added'; data: { n: number } };
type Cmd = { type: 'Add'; n: number; max: number };
/** A counter that refuses to pass `max`: a rule that may turn false after a concurrent write. */
const counter: Decider<number, Cmd, Ev> = {
  initialState: () => 0,
  evolve: (s, e) => s + e.data.n,
  decide: (c, s) => {
    if (s + c.n > c.max) throw new Error(`would exceed ${c.max}`);
    return [{ type: 'Added', data: { n: c.n } }];
  },
};

class Conflict extends Error {}
const opts = {
  metadata: { correlationId: 'c' },
  onConflict: (e: WrongExpectedVersionError) => new Conflict(e.message),
};

/** Lets another writer slip in before each of the first `times` appends, as a racing request would. */
class InterferingStore extends PostgresEventStore {
  times = 0;
  override async appendToStream(
    stream: string,
    events: readonly EventData[],
    o?: AppendOptions,
  ): Promise<AppendResult> {
    if (this.times > 0) {
      this.times--;
      await super.appendToStream(stream, [
        { id: randomUUID(), type: 'Added', data: { n: 1 }, metadata: { schemaVersion: 1 } },
      ]);
    }
    return super.appendToStream(stream, events, o);
  }
}

describe('handleCommand', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: InterferingStore;
  beforeAll(async () => {
    db = await createTestDatabase('iap_decider');
    pool = new pg.Pool({ connectionString: db.url });
    for (const sql of EVENT_STORE_SCHEMA_UP) await pool.query(sql);
    store = new InterferingStore(pool);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('decides again after a concurrent write when the command is still valid', async () => {
    const s = `c-${randomUUID()}`;
    store.times = 1;
    const r = await handleCommand(store, s, counter, { type: 'Add', n: 2, max: 10 }, opts);
    expect(r.state).toBe(3);
    expect((await store.readStream(s)).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('re-decides on retry: a rule broken by the concurrent write refuses the command', async () => {
    const s = `c-${randomUUID()}`;
    store.times = 1;
    await expect(handleCommand(store, s, counter, { type: 'Add', n: 2, max: 2 }, opts)).rejects.toThrow(
      'would exceed 2',
    );
    expect(await store.readStream(s)).toHaveLength(1);
  });

  it('decides again after each of up to four concurrent writes', async () => {
    const s = `c-${randomUUID()}`;
    store.times = 4;
    const r = await handleCommand(store, s, counter, { type: 'Add', n: 2, max: 10 }, opts);
    expect(r.state).toBe(6);
    expect(await store.readStream(s)).toHaveLength(5);
  });

  it('answers CONFLICT when every retry loses too', async () => {
    const s = `c-${randomUUID()}`;
    store.times = 5;
    await expect(
      handleCommand(store, s, counter, { type: 'Add', n: 1, max: 10 }, opts),
    ).rejects.toBeInstanceOf(Conflict);
    expect(await store.readStream(s)).toHaveLength(5); // only the interfering writes
  });

  it('refuses without retrying when the client expected revision is stale', async () => {
    const s = `c-${randomUUID()}`;
    await handleCommand(store, s, counter, { type: 'Add', n: 1, max: 10 }, opts);
    await handleCommand(store, s, counter, { type: 'Add', n: 1, max: 10 }, { ...opts, expectedRevision: 0n });
    await expect(
      handleCommand(store, s, counter, { type: 'Add', n: 1, max: 10 }, { ...opts, expectedRevision: 0n }),
    ).rejects.toBeInstanceOf(Conflict);
    expect(await store.readStream(s)).toHaveLength(2);
  });

  it('applies a commandId once and returns the first result when repeated, even concurrently', async () => {
    const s = `c-${randomUUID()}`;
    const commandId = randomUUID();
    const first = await handleCommand(
      store,
      s,
      counter,
      { type: 'Add', n: 5, max: 10 },
      { ...opts, commandId },
    );
    const again = await handleCommand(
      store,
      s,
      counter,
      { type: 'Add', n: 5, max: 10 },
      { ...opts, commandId },
    );
    expect(again.repeated).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    const other = randomUUID();
    const twins = await Promise.all(
      Array.from({ length: 5 }, () =>
        handleCommand(store, s, counter, { type: 'Add', n: 5, max: 10 }, { ...opts, commandId: other }),
      ),
    );
    expect(new Set(twins.map((t) => t.events[0].id)).size).toBe(1);
    expect((await store.readStream(s)).map((e) => e.data)).toEqual([{ n: 5 }, { n: 5 }]);
  });

  it('runs the I/O check for a new command only: a repeated commandId answers with its first result', async () => {
    const s = `c-${randomUUID()}`;
    const commandId = randomUUID();
    let locked = false;
    const check = async () => {
      if (locked) throw new Conflict('period locked');
    };
    const first = await handleCommand(
      store,
      s,
      counter,
      { type: 'Add', n: 1, max: 10 },
      { ...opts, commandId, check },
    );
    locked = true; // e.g. the quarter's return was submitted since
    const again = await handleCommand(
      store,
      s,
      counter,
      { type: 'Add', n: 1, max: 10 },
      { ...opts, commandId, check },
    );
    expect(again.repeated).toBe(true);
    expect(again.events[0].id).toBe(first.events[0].id);
    await expect(
      handleCommand(
        store,
        s,
        counter,
        { type: 'Add', n: 1, max: 10 },
        { ...opts, commandId: randomUUID(), check },
      ),
    ).rejects.toThrow('period locked');
    expect(await store.readStream(s)).toHaveLength(1);
  });

  describe('a commandId names one command across the whole store', () => {
    it('refuses it on the same stream for a different command, writing nothing', async () => {
      const s = `c-${randomUUID()}`;
      const commandId = randomUUID();
      await handleCommand(store, s, counter, { type: 'Add', n: 1, max: 10 }, { ...opts, commandId });
      const err = await handleCommand(
        store,
        s,
        counter,
        { type: 'Add', n: 2, max: 10 },
        { ...opts, commandId },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CommandIdReusedError);
      expect(err).toMatchObject({ commandId, streamId: s });
      expect((await store.readStream(s)).map((e) => e.data)).toEqual([{ n: 1 }]);
    });

    it('refuses it on another stream, even for the same payload, writing nothing there', async () => {
      const [s1, s2] = [`c-${randomUUID()}`, `c-${randomUUID()}`];
      const commandId = randomUUID();
      await handleCommand(store, s1, counter, { type: 'Add', n: 1, max: 10 }, { ...opts, commandId });
      const err = await handleCommand(
        store,
        s2,
        counter,
        { type: 'Add', n: 1, max: 10 },
        { ...opts, commandId },
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CommandIdReusedError);
      expect(err).toMatchObject({ commandId, streamId: s2, usedOn: s1 });
      await expect(store.readStream(s2)).rejects.toBeInstanceOf(StreamNotFoundError);
      // The caller says what to throw instead.
      await expect(
        handleCommand(
          store,
          s2,
          counter,
          { type: 'Add', n: 1, max: 10 },
          { ...opts, commandId, onCommandIdReused: (e) => new Conflict(`reused ${e.commandId}`) },
        ),
      ).rejects.toThrow(new Conflict(`reused ${commandId}`));
    });

    it('lets one of many concurrent commands under one id win, on one stream or on several', async () => {
      const s = `c-${randomUUID()}`;
      const commandId = randomUUID();
      const sameStream = await Promise.allSettled(
        [1, 2, 3, 4, 5].map((n) =>
          handleCommand(store, s, counter, { type: 'Add', n, max: 100 }, { ...opts, commandId }),
        ),
      );
      expect(sameStream.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of sameStream) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(CommandIdReusedError);
      }
      expect(await store.readStream(s)).toHaveLength(1);

      const other = randomUUID();
      const streams = Array.from({ length: 5 }, () => `c-${randomUUID()}`);
      const acrossStreams = await Promise.allSettled(
        streams.map((st) =>
          handleCommand(store, st, counter, { type: 'Add', n: 1, max: 100 }, { ...opts, commandId: other }),
        ),
      );
      expect(acrossStreams.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of acrossStreams) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(CommandIdReusedError);
      }
      const written = await Promise.all(
        streams.map((st) =>
          store.readStream(st).then(
            (evs) => evs.length,
            () => 0,
          ),
        ),
      );
      expect(written.reduce((a, b) => a + b, 0)).toBe(1);
    });

    it('digests the request as the client sent it, not the facts a handler added (clock, other aggregates)', async () => {
      const s = `c-${randomUUID()}`;
      const commandId = randomUUID();
      const request = { type: 'Add' as const, n: 1, max: 10, note: undefined, when: new Date(0), big: 10n };
      const withFacts = () => ({ ...request, today: new Date().toISOString(), nonce: randomUUID() });
      const first = await handleCommand(store, s, counter, withFacts(), { ...opts, commandId, request });
      // The same request built again (keys in another order): the same command.
      const rebuilt = { big: 10n, when: new Date(0), max: 10, n: 1, type: 'Add' as const };
      const again = await handleCommand(store, s, counter, withFacts(), {
        ...opts,
        commandId,
        request: rebuilt,
      });
      expect(again.repeated).toBe(true);
      expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
      expect(first.events[0].metadata).toMatchObject({ commandId, commandDigest: commandDigest(s, request) });
      expect(commandDigest(s, request)).not.toBe(commandDigest(`${s}x`, request));
      expect(commandDigest(s, request)).not.toBe(commandDigest(s, { ...request, n: 2 }));
    });

    it('takes events stored before digests were kept for the same command', async () => {
      const s = `c-${randomUUID()}`;
      const commandId = randomUUID();
      await store.appendToStream(s, [
        { id: randomUUID(), type: 'Added', data: { n: 3 }, metadata: { schemaVersion: 1, commandId } },
      ]);
      const again = await handleCommand(
        store,
        s,
        counter,
        { type: 'Add', n: 9, max: 10 },
        { ...opts, commandId },
      );
      expect(again.repeated).toBe(true);
      expect(await store.readStream(s)).toHaveLength(1);
    });
  });
});

describe('handleCommand on a long stream: the folded state is kept between commands', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  /** Counts how many events each read of a stream returned. */
  class CountingStore extends PostgresEventStore {
    reads: number[] = [];
    override async readStream(
      ...args: Parameters<PostgresEventStore['readStream']>
    ): ReturnType<PostgresEventStore['readStream']> {
      const events = await super.readStream(...args);
      this.reads.push(events.length);
      return events;
    }
  }
  /** A state that is an object, so that sharing it between commands would show. */
  const tally: Decider<{ total: number; seen: number[] }, Cmd, Ev> = {
    initialState: () => ({ total: 0, seen: [] }),
    evolve: (s, e) => {
      s.total += e.data.n; // in place, as the Decider contract allows
      s.seen.push(e.data.n);
      return s;
    },
    decide: (c, s) => {
      if (s.total + c.n > c.max) throw new Error(`would exceed ${c.max}`);
      return [{ type: 'Added', data: { n: c.n } }];
    },
  };
  let store: CountingStore;
  let other: CountingStore;
  beforeAll(async () => {
    db = await createTestDatabase('iap_decider_kept');
    pool = new pg.Pool({ connectionString: db.url });
    for (const sql of EVENT_STORE_SCHEMA_UP) await pool.query(sql);
    store = new CountingStore(pool);
    other = new CountingStore(pool); // another process: a cache of its own
  });
  afterAll(async () => {
    await store.close();
    await other.close();
    await pool.end();
    await db.drop();
  });

  const add = (s: CountingStore, stream: string, n: number, commandId?: string, max = 1_000_000) =>
    handleCommand(s, stream, tally, { type: 'Add', n, max }, { ...opts, commandId });

  it('reads only the events after the kept revision, sees other writers, and answers a repeated command', async () => {
    const stream = `long-${randomUUID()}`;
    const events = Array.from({ length: STATE_CACHE_MIN_EVENTS }, () => ({
      id: randomUUID(),
      type: 'Added',
      data: { n: 1 },
      metadata: { schemaVersion: 1 },
    }));
    await store.appendToStream(stream, events);
    const first = await add(store, stream, 5, 'cmd-first');
    expect(first.state.total).toBe(STATE_CACHE_MIN_EVENTS + 5);
    store.reads = [];
    const second = await add(store, stream, 7);
    expect(store.reads).toEqual([0]); // the tail only: nothing was appended since
    expect(second.state.total).toBe(STATE_CACHE_MIN_EVENTS + 12);
    expect(first.state.total).toBe(STATE_CACHE_MIN_EVENTS + 5); // the kept state is a copy, not the one answered

    // Another process appends: this one's next command reads just that event, and decides with it.
    await add(other, stream, 100);
    store.reads = [];
    const third = await add(store, stream, 1);
    expect(store.reads).toEqual([1]);
    expect(third.state.total).toBe(STATE_CACHE_MIN_EVENTS + 113);
    await expect(add(store, stream, 1, undefined, STATE_CACHE_MIN_EVENTS + 113)).rejects.toThrow(
      'would exceed',
    );

    // A refused command left the state kept; a repeated command id, older than the kept revision, reads the
    // whole stream and answers its first result without appending again.
    store.reads = [];
    const again = await add(store, stream, 5, 'cmd-first');
    expect(again.repeated).toBe(true);
    expect(again.events.map((e) => e.data)).toEqual([{ n: 5 }]);
    expect(store.reads).toEqual([0, STATE_CACHE_MIN_EVENTS + 4]);
    expect((await store.readStream(stream)).length).toBe(STATE_CACHE_MIN_EVENTS + 4);
  });

  it('reads the whole stream when another writer wins the race, and keeps deciding correctly', async () => {
    const stream = `race-${randomUUID()}`;
    for (let i = 0; i < STATE_CACHE_MIN_EVENTS; i++) await add(store, stream, 1);
    // Two processes write at once, many times (two writers each, so that the retries always win in the end):
    // every write lands once and the state stays the stream's fold.
    for (let round = 0; round < 5; round++)
      await Promise.all([
        add(store, stream, 1),
        add(store, stream, 1),
        add(other, stream, 1),
        add(other, stream, 1),
      ]);
    const last = await add(store, stream, 0);
    expect(last.state.total).toBe(STATE_CACHE_MIN_EVENTS + 20);
    expect((await store.readStream(stream)).length).toBe(STATE_CACHE_MIN_EVENTS + 21);
  });
});
